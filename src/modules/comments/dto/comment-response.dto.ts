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
   * Present (and true) only while a moderator hides the comment: then only its author sees it
   * (moderators, in the answers of the admin hide/unhide routes; docs/moderation.md).
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
