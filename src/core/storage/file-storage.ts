import type { Readable } from 'node:stream';

/** A key names one file: `/`-separated segments of letters, digits, `.`, `_` and `-` (no `..`, no leading `/`). */
const KEY = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/;

export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`invalid storage key: ${JSON.stringify(key)}`);
    this.name = 'InvalidStorageKeyError';
  }
}

export class StoredFileNotFoundError extends Error {
  constructor(key: string) {
    super(`no stored file has the key ${JSON.stringify(key)}`);
    this.name = 'StoredFileNotFoundError';
  }
}

/** Throws unless `key` is a valid storage key; every adapter calls it, so keys mean the same everywhere. */
export function assertStorageKey(key: string): void {
  if (key.length > 512 || !KEY.test(key)) throw new InvalidStorageKeyError(key);
}

/**
 * The storage port (docs/reports.md): files written and read as streams, by key, so that a file of any size
 * never sits in memory. Inject `FileStorage`; `StorageModule` binds the adapter (a local directory today, an
 * S3-compatible store by another class bound to the same token, without touching the modules that use it).
 */
export abstract class FileStorage {
  /**
   * Stores everything `content` yields under `key` and returns the number of bytes written. The file appears
   * whole or not at all: a failed or interrupted write leaves no partial file, and writing an existing key
   * replaces it (so a job that runs again after a crash overwrites what it began).
   */
  abstract write(key: string, content: Readable): Promise<{ sizeBytes: number }>;

  /** The file's bytes; the stream errors with `StoredFileNotFoundError` when there is no such file. */
  abstract read(key: string): Readable;

  /** Removes the file; removing a missing file is not an error (purges may run twice). */
  abstract remove(key: string): Promise<void>;

  abstract exists(key: string): Promise<boolean>;
}
