import { describe, expect, it } from 'vitest';
import { JobRegistry, JobsConfigurationError } from './job-registry.js';
import { defineQueue } from './queue-definition.js';

const MAIL = defineQueue({
  name: 'mail',
  jobs: ['welcome', 'digest'],
  subscriptions: { 'identity.user-registered': 'welcome' },
});
const REPORTS = defineQueue({ name: 'reports', jobs: ['generate'] });

function registry(...queues: (typeof MAIL | typeof REPORTS)[]): JobRegistry {
  const registry = new JobRegistry();
  for (const queue of queues) registry.declare(queue);
  return registry;
}

function problems(work: () => void): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof JobsConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('JobRegistry', () => {
  it('accepts one processor per queue handling exactly its job names', () => {
    const found = new Map([
      ['mail', [['welcome', 'digest']]],
      ['reports', [['generate']]],
    ]);
    expect(problems(() => registry(MAIL, REPORTS).verify(found))).toEqual([]);
  });

  it('refuses a job name without a handler, a handler for no job, and a queue without or with two processors', () => {
    const found = new Map([
      ['mail', [['welcome', 'farewell']]],
      ['reports', [['generate'], ['generate']]],
      ['ghost', [['boo']]],
    ]);
    expect(problems(() => registry(MAIL, REPORTS).verify(found))).toEqual([
      'job "mail/digest" has no handler',
      'handler "mail/farewell" is not a job of the queue',
      'queue "reports" has 2 processors (exactly one is required)',
      'a processor handles undeclared queue "ghost"',
    ]);
    expect(problems(() => registry(MAIL).verify(new Map()))).toEqual([
      'queue "mail" has 0 processors (exactly one is required)',
    ]);
  });

  it('refuses a subscription to a job the queue does not have', () => {
    const broken = defineQueue({ name: 'broken', jobs: ['a'], subscriptions: { 'x.happened': 'b' as 'a' } });
    expect(problems(() => registry(broken as never).verify(new Map([['broken', [['a']]]])))).toEqual([
      'event "x.happened" starts unknown job "broken/b"',
    ]);
  });

  it('routes an event to every subscribed queue, and refuses a queue declared twice', () => {
    const audit = defineQueue({
      name: 'audit',
      jobs: ['record'],
      subscriptions: { 'identity.user-registered': 'record' },
    });
    expect(registry(MAIL, audit as never).subscribers('identity.user-registered')).toEqual([
      { queue: 'mail', job: 'welcome' },
      { queue: 'audit', job: 'record' },
    ]);
    expect(registry(MAIL).subscribers('nobody.listens')).toEqual([]);
    const twice = registry(MAIL);
    expect(() => twice.declare(defineQueue({ name: 'mail', jobs: ['x'] }) as never)).toThrow(JobsConfigurationError);
  });
});
