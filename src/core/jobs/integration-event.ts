/**
 * A fact a module publishes for other modules' background work ("user registered", "comment added"). It is
 * written to the outbox in the transaction of the write it describes, so it exists if and only if the write
 * committed; the relay turns it into one job per subscribed queue.
 */
export interface IntegrationEvent<Payload extends object = object> {
  /** `<module>.<fact>`, e.g. `identity.user-registered`. */
  topic: string;
  /**
   * Identifies the fact: with the topic it names the jobs the event starts, so publishing or relaying the same
   * fact twice starts each job once. Use the written row's id.
   */
  key: string;
  payload: Payload;
}

/** What every job carries besides its payload: where it came from, for logs and traces. */
export interface JobEnvelope<Payload extends object = object> {
  payload: Payload;
  /** The outbox message id, or undefined for jobs enqueued directly (schedulers, admin retries). */
  messageId?: string;
  /** W3C trace context of the request that published the event (`traceparent`, `tracestate`). */
  trace?: Record<string, string>;
}
