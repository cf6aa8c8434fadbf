import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { context, propagation } from '@opentelemetry/api';
import type { Queue } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { jobsConfig, type JobsConfig } from '../config/app.config.js';
import { withTimeout } from '../net/with-timeout.js';
import type { JobEnvelope } from './integration-event.js';
import { JobRegistry } from './job-registry.js';

const BATCH_SIZE = 100;
/** A queue that does not take a job within this long counts as down: the message waits for a later round. */
const ENQUEUE_TIMEOUT_MS = 5_000;
const MAX_RETRY_DELAY_S = 60;
/** Sent messages are kept this long for inspection, then pruned by the relay. */
const SENT_RETENTION = '7 days';
const PRUNE_EVERY_MS = 10 * 60_000;

interface PendingMessage {
  id: string;
  topic: string;
  key: string;
  payload: object;
  trace: Record<string, string> | null;
  attempts: number;
}

/**
 * Moves committed outbox messages to the queues (ADR 0011). Each round locks a batch of pending messages
 * (`FOR UPDATE SKIP LOCKED`: several relays share the work, none takes a message twice at once), adds one job
 * per subscriber with a deterministic id (`<topic>.<key>`), and stamps the messages sent in the same
 * transaction. A relay that dies after the add and before the commit leaves the message pending: the next
 * round adds it again under the same id, which BullMQ ignores while the first job is kept (24 h).
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> = Promise.resolve();
  private running = false;
  private prunedAt = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: JobRegistry,
    private readonly moduleRef: ModuleRef,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
  ) {}

  get started(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops after the round in progress, whose messages are either handed over and stamped, or left pending. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.round;
  }

  /** One round: relays up to a batch of due messages and returns how many it handed over. */
  relayDue(): Promise<number> {
    const round = this.round.then(() =>
      this.dataSource.transaction(async (manager) => {
        const due: PendingMessage[] = await manager.query(
          `SELECT id, topic, key, payload, trace, attempts FROM outbox_messages
            WHERE sent_at IS NULL AND available_at <= now()
            ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [BATCH_SIZE],
        );
        const sent: string[] = [];
        for (const message of due) {
          try {
            await this.handOver(message);
            sent.push(message.id);
          } catch (error) {
            // The queue is unreachable (or refused): the rest of the batch would fail alike. Back off this one.
            await this.postpone(manager, message, error);
            break;
          }
        }
        if (sent.length > 0) {
          await manager.query(
            'UPDATE outbox_messages SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1)',
            [sent],
          );
        }
        if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
          this.prunedAt = Date.now();
          await manager.query(`DELETE FROM outbox_messages WHERE sent_at < now() - interval '${SENT_RETENTION}'`);
        }
        return sent.length;
      }),
    );
    this.round = round.catch(() => undefined);
    return round;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.relayDue().then(
        // A full batch: more may be waiting, go again at once.
        (count) => this.schedule(count === BATCH_SIZE ? 0 : this.config.outboxPollIntervalMs),
        (error: unknown) => {
          this.logger.warn(`outbox round failed: ${error instanceof Error ? error.message : String(error)}`);
          this.schedule(this.config.outboxPollIntervalMs * 4);
        },
      );
    }, delayMs);
  }

  private async handOver(message: PendingMessage): Promise<void> {
    const data: JobEnvelope = {
      payload: message.payload,
      messageId: message.id,
      ...(message.trace ? { trace: message.trace } : {}),
    };
    for (const { queue, job } of this.registry.subscribers(message.topic)) {
      const target = this.moduleRef.get<Queue>(getQueueToken(queue), { strict: false });
      // Added in the publishing request's trace context, so the job's spans join that request's trace.
      const published = message.trace ? propagation.extract(context.active(), message.trace) : context.active();
      await withTimeout(
        context.with(published, () =>
          target.add(job, data, { jobId: `${message.topic}.${message.key}`.replaceAll(':', '_') }),
        ),
        ENQUEUE_TIMEOUT_MS,
      );
    }
  }

  private async postpone(manager: EntityManager, message: PendingMessage, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const delaySeconds = Math.min(MAX_RETRY_DELAY_S, 2 ** message.attempts);
    this.logger.warn(
      `outbox message ${message.id} (${message.topic}) not handed over, retry in ${delaySeconds} s: ${reason}`,
    );
    await manager.query(
      `UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2,
              available_at = now() + make_interval(secs => $3) WHERE id = $1`,
      [message.id, reason.slice(0, 1000), delaySeconds],
    );
  }
}
