import { BodyEnvelope } from '../../../core/http/body-envelope.decorator.js';
import { PartialType } from '@nestjs/swagger';
import { NewArticleDto } from './create-article.dto.js';

/** Fields to change; a new title gives a new slug. `tagList` replaces the tags (an addition to the spec). */
export class UpdateArticleFieldsDto extends PartialType(NewArticleDto, { skipNullProperties: false }) {}

export class UpdateArticleDto {
  @BodyEnvelope('article', () => UpdateArticleFieldsDto)
  article: UpdateArticleFieldsDto;
}
