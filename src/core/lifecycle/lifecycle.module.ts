import { Module } from '@nestjs/common';
import { HttpDrainService } from './http-drain.service.js';
import { LifecycleService } from './lifecycle.service.js';

/** The shutdown state (read by readiness) and the HTTP drain that the bootstrap code runs on a stop signal. */
@Module({
  providers: [LifecycleService, HttpDrainService],
  exports: [LifecycleService, HttpDrainService],
})
export class LifecycleModule {}
