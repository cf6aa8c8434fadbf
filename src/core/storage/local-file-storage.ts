import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, FileStorage, StoredFileNotFoundError } from './file-storage.js';

/**
 * `FileStorage` on a local directory (`STORAGE_DIR`, default `<EMBEDDED_DATA_DIR>/files`): fine for one
 * machine or a shared volume. A write goes to a temporary file beside the target and is renamed over it once
 * complete (atomic on one file system), so readers never see half a file.
 */
export class LocalFileStorage extends FileStorage {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  async write(key: string, content: Readable): Promise<{ sizeBytes: number }> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.partial`;
    let sizeBytes = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sizeBytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(content, count, createWriteStream(temporary));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { sizeBytes };
  }

  read(key: string): Readable {
    const source = createReadStream(this.path(key));
    const out = new PassThrough();
    source.on('error', (error: NodeJS.ErrnoException) =>
      out.destroy(error.code === 'ENOENT' ? new StoredFileNotFoundError(key) : error),
    );
    return source.pipe(out);
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.path(key))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  private path(key: string): string {
    assertStorageKey(key);
    return join(this.root, ...key.split('/'));
  }
}
