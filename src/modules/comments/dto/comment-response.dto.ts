import { ProfileDto } from '../../profiles/index.js';

export class CommentDto {
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
