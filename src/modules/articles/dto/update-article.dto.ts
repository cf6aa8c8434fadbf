import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Fields to change; a new title gives the article a new slug. */
export class UpdateArticleFieldsDto {
  @IsOptional()
  @IsString()
  @Transform(trim)
  @IsNotEmpty({ message: "title can't be blank" })
  @MaxLength(255)
  title?: string;

  @IsOptional()
  @IsString()
  @Transform(trim)
  @IsNotEmpty({ message: "description can't be blank" })
  @MaxLength(1000)
  description?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: "body can't be blank" })
  @MaxLength(100_000)
  body?: string;

  /** Replaces the tags (an addition to the RealWorld spec). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tagList?: string[];
}

export class UpdateArticleDto {
  @IsDefined({ message: 'article is required' })
  @ValidateNested()
  @Type(() => UpdateArticleFieldsDto)
  article: UpdateArticleFieldsDto;
}
