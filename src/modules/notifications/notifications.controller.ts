import { Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { Authenticated, CurrentUser } from '../../core/auth/auth.decorators.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { ServiceUnavailableError } from '../../core/http/app-error.js';
import { ErrorResponseDto } from '../../core/http/error-response.dto.js';
import { ID_PARAM_SCHEMA, ParseIdPipe } from '../../core/http/id-param.pipe.js';
import {
  AllReadResponseDto,
  NotificationPageDto,
  NotificationReadResponseDto,
} from './dto/notification-response.dto.js';
import { NotificationPageQuery } from './dto/notification-page.query.js';
import { InvalidLastEventIdError } from './in-app/in-app-notifications.errors.js';
import { InAppNotifications } from './in-app/in-app-notifications.service.js';
import { NOTIFICATION_ID_PATTERN, parseNotificationId } from './in-app/notification-ids.js';
import { NotificationStreamHub, REPLAY_LIMIT, STREAM_RETRY_MS } from './in-app/notification-stream.hub.js';

/** Set on every stream: no caching, and no buffering by a reverse proxy (nginx reads `X-Accel-Buffering`). */
const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

const STREAM_DESCRIPTION = [
  'Server-Sent Events, endless: first `retry: ' + STREAM_RETRY_MS + '`; then, when `Last-Event-ID` is sent, the',
  `caller's notifications recorded after it (oldest first, ${REPLAY_LIMIT} at most: reload the list after a long`,
  'absence); then each new notification as it is recorded, as',
  '`id: <notification id>` / `event: notification` / `data: <the notification as JSON, as in the list>`.',
  'A `: heartbeat` comment comes at a fixed interval (15 s by default). The stream ends when the server shuts',
  'down; reconnect with the last id received (EventSource does this itself). Ids increase, but two',
  'notifications recorded at once may arrive out of order: deduplicate by id.',
].join(' ');

const INVALID_CURSOR = {
  description: 'A parameter is not valid; a `cursor` that is not a `nextCursor` of this endpoint is `INVALID_CURSOR`',
  type: ErrorResponseDto,
};

/** A user's in-app notifications: the list (the truth) and a live stream of new ones (a convenience). */
@ApiTags('notifications')
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: InAppNotifications,
    private readonly streams: NotificationStreamHub,
  ) {}

  /** The caller's notifications, newest first, by keyset pages, with the number unread. */
  @Get()
  @Authenticated()
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiUnprocessableEntityResponse(INVALID_CURSOR)
  listNotifications(
    @CurrentUser() caller: AuthUser,
    @Query() query: NotificationPageQuery,
  ): Promise<NotificationPageDto> {
    return this.notifications.page(caller, query);
  }

  /** A live stream of the caller's new notifications (Server-Sent Events), resumable with `Last-Event-ID`. */
  @Get('stream')
  @Authenticated()
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The id of the last event received: the stream first sends what came after it',
    schema: { type: 'string', pattern: NOTIFICATION_ID_PATTERN },
  })
  @ApiOkResponse({
    description: STREAM_DESCRIPTION,
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiUnprocessableEntityResponse({ description: '`Last-Event-ID` is not an event id', type: ErrorResponseDto })
  @ApiServiceUnavailableResponse({ description: 'Live delivery is unavailable; retry shortly', type: ErrorResponseDto })
  async streamNotifications(
    @CurrentUser() caller: AuthUser,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const lastEventId = lastEventIdHeader === undefined ? undefined : parseNotificationId(lastEventIdHeader);
    if (lastEventIdHeader !== undefined && lastEventId === undefined) throw new InvalidLastEventIdError();
    try {
      await this.streams.prepare();
    } catch {
      throw new ServiceUnavailableError('Live notifications are unavailable; retry shortly');
    }
    // From here on the response is written by hand: Fastify's onSend hooks (ETag, compression) would buffer an
    // endless body. Headers set so far (CORS, request id, rate limits) are kept.
    reply.hijack();
    await this.streams.open(
      caller.id,
      reply.raw,
      { ...(reply.getHeaders() as OutgoingHttpHeaders), ...STREAM_HEADERS },
      lastEventId,
    );
  }

  /** Mark one of the caller's notifications read (idempotent). */
  @Post(':id/read')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiParam({ name: 'id', schema: ID_PARAM_SCHEMA })
  @ApiOkResponse({ type: NotificationReadResponseDto })
  @ApiNotFoundResponse({ description: 'The caller has no notification with this id', type: ErrorResponseDto })
  markNotificationRead(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<NotificationReadResponseDto> {
    return this.notifications.markRead(caller, id);
  }

  /** Mark all of the caller's notifications read. */
  @Post('read-all')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AllReadResponseDto })
  markAllNotificationsRead(@CurrentUser() caller: AuthUser): Promise<AllReadResponseDto> {
    return this.notifications.markAllRead(caller);
  }
}
