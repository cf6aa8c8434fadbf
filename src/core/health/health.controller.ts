import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { Public } from '../auth/auth.decorators.js';
import { AppError } from '../http/app-error.js';
import { ErrorResponseDto } from '../http/error-response.dto.js';
import { ReadDatabase } from '../database/read-database.js';
import { LifecycleService } from '../lifecycle/lifecycle.service.js';
import { REDIS } from '../redis/redis.module.js';
import { HealthResponseDto } from './health-response.dto.js';
import { withTimeout } from '../net/with-timeout.js';

const CHECK_TIMEOUT_MS = 1_500;
/** Replicas are only reported: a slow or unreachable one must not hold the probe up (probes time out at 1 s). */
const REPLICA_CHECK_TIMEOUT_MS = 500;

class DependencyUnavailableError extends AppError {
  readonly kind = 'unavailable';
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  override readonly retryAfterSeconds = 5;
}

class ShuttingDownError extends AppError {
  readonly kind = 'unavailable';
  readonly code = 'SHUTTING_DOWN';
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly lifecycle: LifecycleService,
    private readonly reads: ReadDatabase,
  ) {}

  /** Liveness: the process is up and its event loop answers. Checks no dependency. */
  @Get('live')
  @ApiOkResponse({ type: HealthResponseDto })
  async getLiveness(): Promise<HealthResponseDto> {
    return this.run([]);
  }

  /**
   * Readiness: the primary database answers (and Redis, when configured). 503 takes the pod out of rotation.
   * Read replicas are reported (`replica-1`, …) but never make it fail: reads fall back to the primary.
   */
  @Get('ready')
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiServiceUnavailableResponse({
    description: 'A dependency is down, or the process is shutting down',
    type: ErrorResponseDto,
  })
  async getReadiness(): Promise<HealthResponseDto> {
    // Checked before the dependencies, without touching them: from the stop signal on, the answer must be 503
    // at once so the endpoint leaves the load balancer during the grace period. Liveness never reads it.
    if (!this.lifecycle.ready) throw new ShuttingDownError('The service is shutting down');
    const checks: HealthIndicatorFunction[] = [
      () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
    ];
    const redis = this.redis;
    if (redis) checks.push(() => this.pingRedis(redis));
    const [result, replicas] = await Promise.all([
      this.run(checks),
      this.reads.replicaStates(REPLICA_CHECK_TIMEOUT_MS),
    ]);
    replicas.forEach((state, index) => (result.checks[`replica-${index + 1}`] = state));
    return result;
  }

  private async run(checks: HealthIndicatorFunction[]): Promise<HealthResponseDto> {
    try {
      const result = await this.health.check(checks);
      return {
        status: result.status,
        checks: Object.fromEntries(Object.entries(result.details).map(([k, v]) => [k, v.status])),
      };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const { details } = error.getResponse() as { details: Record<string, { status: string }> };
      // Only names and states leave the process: indicator messages carry hosts and driver errors.
      const down = Object.entries(details).filter(([, v]) => v.status !== 'up');
      throw new DependencyUnavailableError(
        'A dependency of the service is unavailable',
        down.map(([name, v]) => ({ field: name, message: `${name} is ${v.status}` })),
      );
    }
  }

  private async pingRedis(redis: Redis): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('redis');
    try {
      await withTimeout(redis.ping(), CHECK_TIMEOUT_MS);
      return check.up();
    } catch {
      return check.down();
    }
  }
}
