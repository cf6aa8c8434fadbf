import { BodyEnvelope } from '../../../core/http/body-envelope.decorator.js';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { Trim } from '../../../core/http/transforms.js';

export class NewArticleDto {
  @IsString()
  @Trim()
  @IsNotEmpty({ message: "title can't be blank" })
  @MaxLength(255)
  title: string;

  @IsString()
  @Trim()
  @IsNotEmpty({ message: "description can't be blank" })
  @MaxLength(1000)
  description: string;

  /** Markdown. */
  @IsString()
  @IsNotEmpty({ message: "body can't be blank" })
  @MaxLength(100_000)
  body: string;

  /** Up to 10 tags of up to 64 characters; duplicates and blanks are dropped. */
  // Not @IsOptional(), which lets null through: absent is "no tags", null is a type error.
  @ValidateIf((_object, value) => value !== undefined)
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
