import { ApiPropertyOptional } from '@nestjs/swagger';
import { BodyEnvelope } from '../../../core/http/body-envelope.decorator.js';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { Trim } from '../../../core/http/transforms.js';

export class NewArticleDto {
  /** @example "How to train your dragon" */
  @IsString()
  @Trim()
  @IsNotEmpty({ message: "title can't be blank" })
  @MaxLength(255)
  title: string;

  /** @example "Ever wonder how?" */
  @IsString()
  @Trim()
  @IsNotEmpty({ message: "description can't be blank" })
  @MaxLength(1000)
  description: string;

  /**
   * Markdown.
   * @example "You have to believe"
   */
  @IsString()
  @IsNotEmpty({ message: "body can't be blank" })
  @MaxLength(100_000)
  body: string;

  /** Up to 10 tags of up to 64 characters; duplicates and blanks are dropped. */
  @ApiPropertyOptional({ example: ['dragons', 'training'] }) // the CLI plugin reads no array from @example
  @ValidateIf((_object, value) => value !== undefined) // not @IsOptional(), which lets null through
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tagList?: string[];
}

export class CreateArticleDto {
  @BodyEnvelope('article', () => NewArticleDto)
  article: NewArticleDto;
}
