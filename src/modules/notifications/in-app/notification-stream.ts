import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { NotificationDto } from '../dto/notification-response.dto.js';

/** A client that stopped reading: past this many unsent bytes the stream is closed (it resumes with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 1_000_000;

/** One `text/event-stream` response: frames written straight to the socket, nothing buffered or compressed. */
export class NotificationStream {
  /** Live notifications that arrive while the replay is read, sent after it; undefined when not replaying. */
  private held: NotificationDto[] | undefined;
  /** Last-Event-ID: the client has everything up to it. */
  private readonly resumedAfter: bigint;
  /**
   * Ids sent by the replay, whose live copies are not sent again. A set rather than "up to the highest": a row
   * whose insert committed after the replay's read, with a lower id than a replayed one, still goes out live.
   */
  private readonly replayed = new Set<number>();

  constructor(
    private readonly response: ServerResponse,
    lastEventId: string | undefined,
  ) {
    this.held = lastEventId === undefined ? undefined : [];
    this.resumedAfter = BigInt(lastEventId ?? 0);
  }

  get open(): boolean {
    return !this.response.writableEnded && !this.response.destroyed && this.response.socket?.destroyed !== true;
  }

  /** The status line, the headers and the reconnection delay, written at once so the client knows it is connected. */
  start(headers: OutgoingHttpHeaders, retryMs: number): void {
    this.response.writeHead(200, headers);
    this.write(`retry: ${retryMs}\n\n`);
  }

  notify(notification: NotificationDto): void {
    if (this.held) this.held.push(notification);
    else if (BigInt(notification.id) > this.resumedAfter && !this.replayed.has(notification.id)) {
      this.write(frame(notification));
    }
  }

  /** Sends what the client missed, oldest first, then what arrived live meanwhile (without repeats). */
  replay(missed: NotificationDto[]): void {
    for (const notification of missed) {
      this.write(frame(notification));
      this.replayed.add(notification.id);
    }
    const held = this.held ?? [];
    this.held = undefined;
    for (const notification of held.sort((a, b) => a.id - b.id)) this.notify(notification);
  }

  /** A comment line: keeps proxies from timing the connection out and lets the client see it is alive. */
  heartbeat(): void {
    this.write(': heartbeat\n\n');
  }

  end(): void {
    if (this.open) this.response.end();
  }

  private write(chunk: string): void {
    if (!this.open) return;
    if (this.response.writableLength > MAX_BUFFERED_BYTES) {
      this.response.destroy();
      return;
    }
    this.response.write(chunk);
  }
}

function frame(notification: NotificationDto): string {
  return `id: ${notification.id}\nevent: notification\ndata: ${JSON.stringify(notification)}\n\n`;
}
