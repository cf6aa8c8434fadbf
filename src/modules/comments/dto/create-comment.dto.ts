import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';

export class NewCommentDto {
  @IsString()
  @IsNotEmpty({ message: "body can't be blank" })
  @MaxLength(20_000)
  body: string;
}

export class CreateCommentDto {
  @IsDefined({ message: 'comment is required' })
  @ValidateNested()
  @Type(() => NewCommentDto)
  comment: NewCommentDto;
}
