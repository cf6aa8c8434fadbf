export { CommentsModule } from './comments.module.js';
export { CommentsService, type CommentRef } from './comments.service.js';
export { CommentCounts } from './comment-counts.js';
export { CommentDto, SingleCommentResponseDto } from './dto/comment-response.dto.js';
export { commentsScope } from './comments.cache.js';
export {
  COMMENT_ADDED,
  COMMENTS_CHANGED,
  type CommentAddedPayload,
  type CommentsChangedEvent,
} from './comments.events.js';
