import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { metricsConfig } from '../config/app.config.js';
import { DbPoolCollector } from './db-pool.collector.js';
import { FolioMetrics } from './folio-metrics.js';
import { JobOutcomesListener } from './job-outcomes.listener.js';
import { MetricsExposure } from './metrics-exposure.js';
import { QueueDepthCollector } from './queue-depth.collector.js';

/**
 * Prometheus metrics (docs/observability.md): HTTP RED by route template, the database pool, the read cache,
 * rate-limit refusals, queue depth and job outcomes, Node.js process metrics. Loaded by every process;
 * `FolioMetrics` is global so the worker's health server can serve the same registry.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(metricsConfig), DiscoveryModule],
  providers: [FolioMetrics, DbPoolCollector, QueueDepthCollector, JobOutcomesListener, MetricsExposure],
  exports: [FolioMetrics],
})
export class MetricsModule {}
