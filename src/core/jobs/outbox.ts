import { Injectable } from '@nestjs/common';
import { context, propagation } from '@opentelemetry/api';
import type { EntityManager } from 'typeorm';
import type { IntegrationEvent } from './integration-event.js';
import { OutboxMessageEntity } from './outbox-message.entity.js';

/**
 * Publishes integration events through the transactional outbox: `publish(manager, event)` inside the
 * transaction of the write, never after it. A rolled-back write publishes nothing; a committed one is
 * relayed even if the process dies right after the commit. Publishing the same topic and key twice keeps
 * one message.
 */
@Injectable()
export class Outbox {
  async publish(manager: EntityManager, ...events: IntegrationEvent[]): Promise<void> {
    if (events.length === 0) return;
    const trace: Record<string, string> = {};
    propagation.inject(context.active(), trace);
    await manager
      .createQueryBuilder()
      .insert()
      .into(OutboxMessageEntity)
      .values(
        events.map((event) => ({
          topic: event.topic,
          key: event.key,
          payload: event.payload,
          trace: Object.keys(trace).length > 0 ? trace : null,
        })),
      )
      .orIgnore()
      .execute();
  }
}
