import { Module } from '@nestjs/common';
import { CoreModule } from './core/core.module.js';
import { IdentityModule } from './modules/identity/index.js';

/** API composition root: the kernel plus every feature module. */
@Module({
  imports: [CoreModule, IdentityModule],
})
export class AppModule {}
