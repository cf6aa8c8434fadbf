import { PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';
import { NewArticleDto } from './create-article.dto.js';

/** Fields to change; a new title gives a new slug. `tagList` replaces the tags (an addition to the spec). */
export class UpdateArticleFieldsDto extends PartialType(NewArticleDto) {}

export class UpdateArticleDto {
  @IsDefined({ message: 'article is required' })
  @ValidateNested()
  @Type(() => UpdateArticleFieldsDto)
  article: UpdateArticleFieldsDto;
}
