import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { Repository } from 'typeorm';
import { AuditLog, type AuditActor } from '../audit/audit-log.js';
import { NotFoundError } from '../http/app-error.js';
import { redisConfig, type RedisConfig } from '../config/app.config.js';
import { REDIS } from '../redis/redis.module.js';
import { FeatureFlagEntity } from './feature-flag.entity.js';
import { FEATURE_FLAGS, isFeatureFlagName, type FeatureFlagName } from './feature-flags.js';

/** Replicas tell each other to reload on a channel (Redis pub/sub); the TTL below covers a lost message. */
const TTL_MS = 30_000;

export interface FeatureFlagState {
  name: FeatureFlagName;
  description: string;
  enabled: boolean;
  rolloutPercent: number;
  /** Whether an admin override (rather than the default) is in force. */
  overridden: boolean;
}

export class UnknownFeatureFlagError extends NotFoundError {
  constructor() {
    super('FEATURE_FLAG_NOT_FOUND', 'No feature flag has this name');
  }
}

/** The bucket (0-99) a user falls in for a flag: stable per user and flag, independent across flags. */
export function rolloutBucket(flag: string, userId: string): number {
  return createHash('sha256').update(`${flag}:${userId}`).digest().readUInt32BE(0) % 100;
}

/**
 * Flag states: code defaults, overridden by rows of `feature_flags`. Read from an in-process copy, so a
 * check costs no query; a change reloads it here and, through Redis, on every other replica.
 */
@Injectable()
export class FeatureFlagsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('FeatureFlags');
  private overrides = new Map<string, FeatureFlagEntity>();
  private loadedAt = -Infinity;
  private loading?: Promise<void>;
  private subscriber?: Redis;
  private readonly channel: string;

  constructor(
    @InjectRepository(FeatureFlagEntity) private readonly rows: Repository<FeatureFlagEntity>,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(redisConfig.KEY) redisSettings: RedisConfig,
    private readonly audit: AuditLog,
  ) {
    this.channel = `${redisSettings.keyPrefix}feature-flags:changed`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    this.subscriber = this.redis.duplicate({ connectionName: 'folio-flags' });
    this.subscriber.on('error', (error: Error) => this.logger.warn(`flag change channel: ${error.message}`));
    this.subscriber.on('message', () => this.invalidate());
    await this.subscriber.subscribe(this.channel).catch((error: Error) => this.logger.warn(error.message));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Whether the feature is on for this caller (anonymous callers get it only at a 100 % rollout). */
  async isEnabled(name: FeatureFlagName, userId?: string): Promise<boolean> {
    const state = await this.state(name);
    if (!state.enabled) return false;
    if (state.rolloutPercent >= 100) return true;
    return userId !== undefined && rolloutBucket(name, userId) < state.rolloutPercent;
  }

  async list(): Promise<FeatureFlagState[]> {
    await this.fresh();
    return (Object.keys(FEATURE_FLAGS) as FeatureFlagName[]).map((name) => this.resolve(name));
  }

  /** The override and its audit entry (`feature-flag.changed`) commit together. */
  async set(
    name: string,
    change: { enabled: boolean; rolloutPercent?: number },
    actor: AuditActor,
  ): Promise<FeatureFlagState> {
    if (!isFeatureFlagName(name)) throw new UnknownFeatureFlagError();
    const rolloutPercent = change.rolloutPercent ?? FEATURE_FLAGS[name].rolloutPercent;
    await this.rows.manager.transaction(async (manager) => {
      await manager.upsert(
        FeatureFlagEntity,
        { name, enabled: change.enabled, rolloutPercent, updatedBy: actor.userId },
        ['name'],
      );
      const details = { enabled: change.enabled, rolloutPercent };
      await this.audit.record(
        actor,
        { action: 'feature-flag.changed', targetType: 'feature-flag', targetId: name, details },
        manager,
      );
    });
    await this.changed();
    return this.resolve(name);
  }

  /** Back to the code default; audited (`feature-flag.reset`) in the same transaction. */
  async reset(name: string, actor: AuditActor): Promise<FeatureFlagState> {
    if (!isFeatureFlagName(name)) throw new UnknownFeatureFlagError();
    await this.rows.manager.transaction(async (manager) => {
      await manager.delete(FeatureFlagEntity, { name });
      const details = { enabled: FEATURE_FLAGS[name].enabled, rolloutPercent: FEATURE_FLAGS[name].rolloutPercent };
      await this.audit.record(
        actor,
        { action: 'feature-flag.reset', targetType: 'feature-flag', targetId: name, details },
        manager,
      );
    });
    await this.changed();
    return this.resolve(name);
  }

  private async state(name: FeatureFlagName): Promise<FeatureFlagState> {
    await this.fresh();
    return this.resolve(name);
  }

  private resolve(name: FeatureFlagName): FeatureFlagState {
    const fallback = FEATURE_FLAGS[name];
    const override = this.overrides.get(name);
    return {
      name,
      description: fallback.description,
      enabled: override?.enabled ?? fallback.enabled,
      rolloutPercent: override?.rolloutPercent ?? fallback.rolloutPercent,
      overridden: override !== undefined,
    };
  }

  private async changed(): Promise<void> {
    await this.reload();
    await this.redis?.publish(this.channel, String(Date.now())).catch((error: Error) => {
      this.logger.warn(`other replicas will see the change within ${TTL_MS} ms: ${error.message}`);
    });
  }

  private invalidate(): void {
    this.loadedAt = -Infinity;
  }

  private async fresh(): Promise<void> {
    if (performance.now() - this.loadedAt < TTL_MS) return;
    // One load at a time, however many requests arrive while it runs.
    this.loading ??= this.reload().finally(() => (this.loading = undefined));
    await this.loading;
  }

  private async reload(): Promise<void> {
    const rows = await this.rows.find();
    this.overrides = new Map(rows.map((row) => [row.name, row]));
    this.loadedAt = performance.now();
  }
}
