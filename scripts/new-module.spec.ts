import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusal, registerApiTag, registerInAppModule } from './new-module/generate.js';
import { deriveNames, nameProblem, primaryKeyName } from './new-module/names.js';

const root = join(import.meta.dirname, '..');

describe('new:module names', () => {
  it('accepts plural kebab-case names', () => {
    for (const name of ['bookmarks', 'reading-lists', 'categories', 'boxes', 'watches', 'v2-notes']) {
      expect(nameProblem(name), name).toBeUndefined();
    }
  });

  it('refuses anything else, saying why', () => {
    expect(nameProblem('Bookmarks')).toMatch(/kebab-case/);
    expect(nameProblem('reading_lists')).toMatch(/kebab-case/);
    expect(nameProblem('reading--lists')).toMatch(/kebab-case/);
    expect(nameProblem('-bookmarks')).toMatch(/kebab-case/);
    expect(nameProblem('2fa-codes')).toMatch(/kebab-case/);
    expect(nameProblem('bookmark')).toMatch(/plural/);
    expect(nameProblem('address')).toMatch(/plural/);
    expect(nameProblem('ss')).toMatch(/3 to 40/);
    expect(nameProblem(`${'a'.repeat(40)}s`)).toMatch(/3 to 40/);
    expect(() => deriveNames('bookmark')).toThrow(/plural/);
  });

  it('derives every spelling from the folder name', () => {
    expect(deriveNames('reading-lists')).toEqual({
      kebab: 'reading-lists',
      singularKebab: 'reading-list',
      Plural: 'ReadingLists',
      Singular: 'ReadingList',
      plural: 'readingLists',
      singular: 'readingList',
      table: 'reading_lists',
      CONSTANT: 'READING_LIST',
      words: 'reading list',
    });
    expect(deriveNames('categories').Singular).toBe('Category');
    expect(deriveNames('boxes').singular).toBe('box');
  });

  it('refuses an existing module or a table another module owns', () => {
    expect(refusal(root, 'comments')).toMatch(/src\/modules\/comments already exists/);
    expect(refusal(root, 'tags')).toMatch(/table "tags" already exists/);
    expect(refusal(root, 'Tags')).toMatch(/kebab-case/);
  });

  it('names the primary key as TypeORM does (the committed comments table)', () => {
    const migration = readFileSync(join(root, 'migrations', '1795502751083-RealWorld.ts'), 'utf8');
    expect(migration).toContain(`CONSTRAINT "${primaryKeyName('comments', ['id'])}" PRIMARY KEY ("id")`);
  });

  it('registers the module in AppModule', () => {
    const source = readFileSync(join(root, 'src', 'app.module.ts'), 'utf8');
    const updated = registerInAppModule(source, deriveNames('reading-lists'));
    expect(updated).toContain("import { ReadingListsModule } from './modules/reading-lists/index.js';");
    expect(updated).toMatch(/imports: \[[^\]]*, ReadingListsModule\]/);
  });

  it("declares the module's OpenAPI tag", () => {
    const source = readFileSync(join(root, 'src', 'core', 'http', 'api-tags.ts'), 'utf8');
    const updated = registerApiTag(source, deriveNames('reading-lists'));
    expect(updated).toContain("  'reading-lists': 'reading lists: describe this module here',\n};");
    expect(updated.slice(0, source.lastIndexOf('};'))).toBe(source.slice(0, source.lastIndexOf('};')));
  });
});
