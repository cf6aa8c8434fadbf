export { CommentsModule } from './comments.module.js';
export { CommentsService } from './comments.service.js';
export { commentsScope } from './comments.cache.js';
export { COMMENTS_CHANGED, type CommentsChangedEvent } from './comments.events.js';
