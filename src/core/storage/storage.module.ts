import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { storageConfig, type StorageConfig } from '../config/app.config.js';
import { FileStorage } from './file-storage.js';
import { LocalFileStorage } from './local-file-storage.js';

/**
 * Binds the `FileStorage` port to its adapter. Today the local directory; an S3-compatible adapter would be
 * chosen here from the environment, and no module using `FileStorage` would change.
 */
@Module({
  imports: [ConfigModule.forFeature(storageConfig)],
  providers: [
    {
      provide: FileStorage,
      inject: [storageConfig.KEY],
      useFactory: (config: StorageConfig) => new LocalFileStorage(config.dir),
    },
  ],
  exports: [FileStorage],
})
export class StorageModule {}
