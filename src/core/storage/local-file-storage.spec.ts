import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertStorageKey, InvalidStorageKeyError, StoredFileNotFoundError } from './file-storage.js';
import { LocalFileStorage } from './local-file-storage.js';

describe('LocalFileStorage', () => {
  let root: string;
  let storage: LocalFileStorage;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'folio-storage-'));
    storage = new LocalFileStorage(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes a stream under its key, reads it back, and removes it', async () => {
    const { sizeBytes } = await storage.write('reports/a/b.csv', Readable.from(['héllo ', 'world']));
    expect(sizeBytes).toBe(Buffer.byteLength('héllo world'));
    expect(await readFile(join(root, 'reports', 'a', 'b.csv'), 'utf8')).toBe('héllo world');
    expect(await storage.exists('reports/a/b.csv')).toBe(true);
    expect(await text(storage.read('reports/a/b.csv'))).toBe('héllo world');
    await storage.remove('reports/a/b.csv');
    await storage.remove('reports/a/b.csv');
    expect(await storage.exists('reports/a/b.csv')).toBe(false);
  });

  it('replaces a file whole, and leaves nothing behind when the source fails', async () => {
    await storage.write('f.txt', Readable.from(['first']));
    await storage.write('f.txt', Readable.from(['second']));
    expect(await text(storage.read('f.txt'))).toBe('second');

    async function* failing() {
      yield 'partial';
      throw new Error('source broke');
    }
    await expect(storage.write('f.txt', Readable.from(failing()))).rejects.toThrow('source broke');
    expect(await text(storage.read('f.txt'))).toBe('second');
    expect(await readdir(root)).toEqual(['f.txt']);
  });

  it('errors the read stream of a missing file', async () => {
    await expect(text(storage.read('missing.csv'))).rejects.toBeInstanceOf(StoredFileNotFoundError);
  });

  it.each(['', '/abs', '../up', 'a/../b', 'a//b', 'a/./b', 'sp ace', 'a\\b'])('refuses the key %j', (key) => {
    expect(() => assertStorageKey(key)).toThrow(InvalidStorageKeyError);
  });

  it('accepts ordinary keys', () => {
    expect(() => assertStorageKey('reports/0b5e8f1c-2a8e/x_1.v2.pdf')).not.toThrow();
  });
});
