import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobsRuntime } from './jobs-runtime.js';

/** Imported where background work runs: the worker process, or the api process in embedded mode. */
@Module({ imports: [DiscoveryModule], providers: [JobsRuntime] })
export class JobsRuntimeModule {}
