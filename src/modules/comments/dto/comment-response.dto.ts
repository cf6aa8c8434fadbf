import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProfileDto } from '../../profiles/index.js';

export class CommentDto {
  @ApiProperty({ type: 'integer', minimum: 1 })
  id: number;
  createdAt: Date;
  updatedAt: Date;
  body: string;
  author: ProfileDto;
  /**
   * Present (and true) only while a moderator hides the comment: then only its author (and moderators) see
   * it (docs/moderation.md).
   */
  @ApiPropertyOptional({ enum: [true] })
  hidden?: true;
}

export class SingleCommentResponseDto {
  comment: CommentDto;
}

export class MultipleCommentsResponseDto {
  comments: CommentDto[];
}
