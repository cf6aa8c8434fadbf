import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { authConfig, databaseConfig, httpConfig, jobsConfig, logConfig, redisConfig } from './app.config.js';

/** Registers the typed config slices; each concern injects only its own slice. */
@Global()
@Module({
  imports: [
    NestConfigModule.forRoot({
      ignoreEnvFile: true,
      isGlobal: true,
      load: [httpConfig, logConfig, databaseConfig, redisConfig, authConfig, jobsConfig],
    }),
  ],
})
export class ConfigModule {}
