import { Module } from '@nestjs/common';
import { CoreModule } from './core/core.module.js';
import { WorkerFeaturesModule } from './worker-features.module.js';

/** Worker composition root (main.worker.ts): the kernel and the feature modules' processors, no public HTTP. */
@Module({
  imports: [CoreModule, WorkerFeaturesModule],
})
export class WorkerModule {}
