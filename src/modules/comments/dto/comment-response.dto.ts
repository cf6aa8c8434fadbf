import { ApiProperty } from '@nestjs/swagger';
import { ProfileDto } from '../../profiles/index.js';

export class CommentDto {
  @ApiProperty({ type: 'integer', minimum: 1 })
  id: number;
  createdAt: Date;
  updatedAt: Date;
  body: string;
  author: ProfileDto;
}

export class SingleCommentResponseDto {
  comment: CommentDto;
}

export class MultipleCommentsResponseDto {
  comments: CommentDto[];
}
