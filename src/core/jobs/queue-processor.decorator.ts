import { Processor } from '@nestjs/bullmq';
import type { QueueDefinition } from './queue-definition.js';

/**
 * Marks a JobProcessor for `queue`. Workers are created stopped (`autorun: false`): JobsRuntime starts them
 * only after the boot check has passed, in the worker process (or the api process in embedded mode).
 */
export function QueueProcessor(queue: QueueDefinition, options: { concurrency?: number } = {}): ClassDecorator {
  return Processor(queue.name, { autorun: false, ...options });
}
