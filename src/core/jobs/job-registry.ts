import { Injectable } from '@nestjs/common';
import type { QueueDefinition } from './queue-definition.js';

export class JobsConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`the worker cannot start:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'JobsConfigurationError';
  }
}

export interface Subscriber {
  queue: string;
  job: string;
}

/** Every queue declared in this process (JobsModule.forQueue), and who subscribes to which event. */
@Injectable()
export class JobRegistry {
  private readonly queues = new Map<string, QueueDefinition>();

  declare(queue: QueueDefinition): void {
    const known = this.queues.get(queue.name);
    if (known && known !== queue) throw new JobsConfigurationError([`queue "${queue.name}" is declared twice`]);
    this.queues.set(queue.name, queue);
  }

  definitions(): QueueDefinition[] {
    return [...this.queues.values()];
  }

  /** The jobs an event starts, one per subscribed queue. */
  subscribers(topic: string): Subscriber[] {
    return this.definitions().flatMap((queue) => {
      const job = queue.subscriptions[topic];
      return job === undefined ? [] : [{ queue: queue.name, job }];
    });
  }

  /**
   * The boot check: every declared queue has exactly one processor, handling exactly its job names, and
   * every subscription names one of them. `processors` maps a queue name to the job names of each processor
   * found for it.
   */
  verify(processors: Map<string, string[][]>): void {
    const problems: string[] = [];
    for (const queue of this.definitions()) {
      const found = processors.get(queue.name) ?? [];
      if (found.length !== 1) {
        problems.push(`queue "${queue.name}" has ${found.length} processors (exactly one is required)`);
        continue;
      }
      const handled = new Set(found[0]);
      for (const job of queue.jobs) if (!handled.has(job)) problems.push(`job "${queue.name}/${job}" has no handler`);
      for (const job of handled) {
        if (!queue.jobs.includes(job)) problems.push(`handler "${queue.name}/${job}" is not a job of the queue`);
      }
      for (const [topic, job] of Object.entries(queue.subscriptions)) {
        if (!queue.jobs.includes(job)) problems.push(`event "${topic}" starts unknown job "${queue.name}/${job}"`);
      }
    }
    for (const name of processors.keys()) {
      if (!this.queues.has(name)) problems.push(`a processor handles undeclared queue "${name}"`);
    }
    if (problems.length > 0) throw new JobsConfigurationError(problems);
  }
}
