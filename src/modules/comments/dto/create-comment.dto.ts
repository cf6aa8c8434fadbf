import { BodyEnvelope } from '../../../core/http/body-envelope.decorator.js';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class NewCommentDto {
  /**
   * The comment, as text.
   * @example "It takes a Jacobian"
   */
  @IsString()
  @IsNotEmpty({ message: "body can't be blank" })
  @MaxLength(20_000)
  body: string;
}

export class CreateCommentDto {
  @BodyEnvelope('comment', () => NewCommentDto)
  comment: NewCommentDto;
}
