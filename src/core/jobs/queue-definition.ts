/**
 * A module's queue: its name, every job name it accepts and which integration events (published through the
 * outbox) become which of its jobs. The owning module declares it once (`JobsModule.forQueue`) and handles it
 * with one `JobProcessor`; the worker refuses to start unless every job name has exactly one handler.
 */
export interface QueueDefinition<Name extends string = string> {
  readonly name: string;
  readonly jobs: readonly Name[];
  /** Integration event topic → the job it starts on this queue. */
  readonly subscriptions: Readonly<Record<string, Name>>;
}

export function defineQueue<const Name extends string>(definition: {
  name: string;
  jobs: readonly Name[];
  subscriptions?: Record<string, NoInfer<Name>>;
}): QueueDefinition<Name> {
  return Object.freeze({ name: definition.name, jobs: definition.jobs, subscriptions: definition.subscriptions ?? {} });
}

export type JobNameOf<Q> = Q extends QueueDefinition<infer Name> ? Name : never;
