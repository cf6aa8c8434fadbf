// Names of a generated module, derived once from its plural kebab-case folder name, so that every
// template spells the module, class, table, route and operation the same way.
import { createHash } from 'node:crypto';

export interface ModuleNames {
  /** Folder, route segment and file prefix: `reading-lists`. */
  kebab: string;
  /** Entity file prefix: `reading-list`. */
  singularKebab: string;
  /** `ReadingLists` (module, service, controller, repository classes). */
  Plural: string;
  /** `ReadingList` (entity, DTO and error classes). */
  Singular: string;
  /** `readingLists` (response envelope of a list, injected fields). */
  plural: string;
  /** `readingList` (body and response envelope of one). */
  singular: string;
  /** `reading_lists` (the table). */
  table: string;
  /** `READING_LIST` (error codes and event constants). */
  CONSTANT: string;
  /** `reading list` (summaries and messages). */
  words: string;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;

/** The singular of an English plural, for the regular forms only; undefined when it is not one. */
export function singularOf(plural: string): string | undefined {
  if (/[^aeiou]ies$/.test(plural)) return `${plural.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/.test(plural)) return plural.slice(0, -2);
  if (/[^su]s$/.test(plural)) return plural.slice(0, -1);
  return undefined;
}

/**
 * Checks a module name: plural kebab-case, 3 to 40 characters. Returns why it is refused, or undefined.
 * The singular must differ from the plural, since entity and module classes are named after each.
 */
export function nameProblem(name: string): string | undefined {
  if (!KEBAB.test(name))
    return `"${name}" is not kebab-case (lower-case words joined by "-", each starting with a letter)`;
  if (name.length < 3 || name.length > 40) return `"${name}" must be 3 to 40 characters long`;
  const last = name.split('-').at(-1) as string;
  if (!singularOf(last)) return `"${name}" must be a regular English plural, such as "bookmarks" or "reading-lists"`;
  return undefined;
}

const pascal = (kebab: string) =>
  kebab
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

export function deriveNames(kebab: string): ModuleNames {
  const problem = nameProblem(kebab);
  if (problem) throw new Error(problem);
  const words = kebab.split('-');
  const singularKebab = [...words.slice(0, -1), singularOf(words.at(-1) as string)].join('-');
  const Plural = pascal(kebab);
  const Singular = pascal(singularKebab);
  return {
    kebab,
    singularKebab,
    Plural,
    Singular,
    plural: Plural[0].toLowerCase() + Plural.slice(1),
    singular: Singular[0].toLowerCase() + Singular.slice(1),
    table: kebab.replaceAll('-', '_'),
    CONSTANT: singularKebab.replaceAll('-', '_').toUpperCase(),
    words: singularKebab.replaceAll('-', ' '),
  };
}

/** The primary key name TypeORM's DefaultNamingStrategy gives a table (`PK_` + 27 hex of a SHA-1). */
export function primaryKeyName(table: string, columns: string[]): string {
  const key = `${table.replace('.', '_')}_${[...columns].sort().join('_')}`;
  return `PK_${createHash('sha1').update(key).digest('hex').slice(0, 27)}`;
}
