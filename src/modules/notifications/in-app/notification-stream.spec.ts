import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { NotificationDto } from '../dto/notification-response.dto.js';
import { NotificationStream } from './notification-stream.js';

/** The part of a ServerResponse the stream uses, recording what was written. */
class FakeResponse {
  status: number | undefined;
  headers: Record<string, string> | undefined;
  chunks: string[] = [];
  writableEnded = false;
  destroyed = false;
  writableLength = 0;
  socket = { destroyed: false };
  writeHead(status: number, headers: Record<string, string>) {
    this.status = status;
    this.headers = headers;
  }
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.writableEnded = true;
  }
  destroy() {
    this.destroyed = true;
  }
}

const notification = (id: number): NotificationDto => ({
  id,
  kind: 'new-follower',
  data: { follower: { username: `fan${id}` } },
  createdAt: new Date('2026-12-02T12:00:00Z'),
  readAt: null,
});

function open(lastEventId?: string) {
  const response = new FakeResponse();
  const stream = new NotificationStream(response as unknown as ServerResponse, lastEventId);
  stream.start({ 'content-type': 'text/event-stream' }, 3000);
  const ids = () => response.chunks.flatMap((chunk) => /^id: (\d+)\n/.exec(chunk)?.[1] ?? []).map(Number);
  return { response, stream, ids };
}

describe('NotificationStream', () => {
  it('opens with the status, the headers and the retry delay, and writes one SSE frame per notification', () => {
    const { response, stream } = open();
    stream.notify(notification(7));
    stream.heartbeat();
    expect(response.status).toBe(200);
    expect(response.chunks).toEqual([
      'retry: 3000\n\n',
      `id: 7\nevent: notification\ndata: ${JSON.stringify(notification(7))}\n\n`,
      ': heartbeat\n\n',
    ]);
  });

  it('sends live notifications as they come when not resuming, whatever their order', () => {
    const { stream, ids } = open();
    stream.notify(notification(5));
    stream.notify(notification(4));
    expect(ids()).toEqual([5, 4]);
  });

  it('holds live notifications during a replay, then sends them after it without repeats or old ones', () => {
    const { stream, ids } = open('10');
    stream.notify(notification(13));
    stream.notify(notification(9));
    stream.notify(notification(12));
    expect(ids()).toEqual([]);
    stream.replay([notification(11), notification(12)]);
    expect(ids()).toEqual([11, 12, 13]);
    stream.notify(notification(12));
    stream.notify(notification(14));
    expect(ids()).toEqual([11, 12, 13, 14]);
  });

  it('still sends a notification that committed after the replay read, though its id is below a replayed one', () => {
    const { stream, ids } = open('10');
    stream.replay([notification(12)]);
    stream.notify(notification(11));
    expect(ids()).toEqual([12, 11]);
  });

  it('writes nothing after it ended, and hangs up on a client that stopped reading', () => {
    const ended = open();
    ended.stream.end();
    ended.stream.notify(notification(1));
    expect(ended.response.writableEnded).toBe(true);
    expect(ended.ids()).toEqual([]);

    const stuck = open();
    stuck.response.writableLength = 2_000_000;
    stuck.stream.heartbeat();
    expect(stuck.response.destroyed).toBe(true);
    expect(stuck.stream.open).toBe(false);
  });
});
