import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import { describe, expect, it } from 'vitest';

/** Validators that take strings (a property with one of them is a string input). */
const STRING_CHECKS = new Set([
  'isString',
  'isEmail',
  'isUrl',
  'matches',
  'minLength',
  'isNotEmpty',
  'isAlphanumeric',
  'isDateString',
  'isISO8601',
]);
/** Validators that bound a string's length (directly, or by allowing only short values). */
const STRING_BOUNDS = new Set(['maxLength', 'length', 'isIn', 'isEnum', 'isUUID', 'isBoolean']);

type Constraint = Pick<ValidationMetadata, 'type' | 'name' | 'each' | 'propertyName'>;

/** class-validator's own name for a check: `customValidation` ones (ValidateBy) are known by `name`. */
function checkName(metadata: Constraint): string {
  return metadata.type === 'customValidation' && metadata.name ? metadata.name : metadata.type;
}

/** What every input property must have: a length bound on strings, a size bound on arrays and on their strings. */
export function missingInputLimits(target: string, constraints: Constraint[]): string[] {
  const byProperty = new Map<string, Constraint[]>();
  for (const constraint of constraints) {
    byProperty.set(constraint.propertyName, [...(byProperty.get(constraint.propertyName) ?? []), constraint]);
  }
  const problems: string[] = [];
  for (const [property, checks] of byProperty) {
    const own = checks.filter((check) => !check.each);
    const items = checks.filter((check) => check.each);
    const isArray = checks.some((check) => checkName(check) === 'isArray') || items.length > 0;
    if (isArray && !own.some((check) => ['arrayMaxSize', 'isIn'].includes(checkName(check)))) {
      problems.push(`${target}.${property}: an array without @ArrayMaxSize`);
    }
    const itemIsString = items.some((check) => STRING_CHECKS.has(checkName(check)));
    if (itemIsString && !items.some((check) => STRING_BOUNDS.has(checkName(check)))) {
      problems.push(`${target}.${property}: array items that are strings without @MaxLength({ each: true })`);
    }
    const isString = own.some((check) => STRING_CHECKS.has(checkName(check)));
    if (isString && !own.some((check) => STRING_BOUNDS.has(checkName(check)))) {
      problems.push(`${target}.${property}: a string without @MaxLength`);
    }
  }
  return problems;
}

/** Every class with class-validator rules, once the whole API and the workers are loaded. */
async function validatedClasses(): Promise<Map<Function, ValidationMetadata[]>> {
  await import('../../app.module.js');
  await import('../../worker-features.module.js');
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<Function, ValidationMetadata[]>;
    getTargetValidationMetadatas(
      target: Function,
      schema: string,
      always: boolean,
      strict: boolean,
    ): ValidationMetadata[];
  };
  const classes = new Map<Function, ValidationMetadata[]>();
  for (const target of storage.validationMetadatas.keys()) {
    // With the rules it inherits (PartialType, IntersectionType and `extends` copy or inherit them).
    classes.set(target, storage.getTargetValidationMetadatas(target, '', true, false));
  }
  return classes;
}

describe('input limits on every validated class (request bodies, queries)', () => {
  it('bounds every string with @MaxLength and every array with @ArrayMaxSize', async () => {
    const classes = await validatedClasses();
    const names = [...classes.keys()].map((target) => target.name);
    // The walk sees the request classes of every module (so a new one is checked as soon as it exists).
    expect(names).toEqual(
      expect.arrayContaining(['NewUserDto', 'NewArticleDto', 'NewCommentDto', 'PageQuery', 'DeadLetterQuery']),
    );
    const problems = [...classes].flatMap(([target, metadata]) =>
      target.name === 'Environment' ? [] : missingInputLimits(target.name, metadata),
    );
    expect(problems).toEqual([]);
  });

  it('reports each kind of missing limit', () => {
    const rule = (propertyName: string, type: string, each = false, name?: string): Constraint => ({
      propertyName,
      type,
      each,
      name,
    });
    expect(
      missingInputLimits('Sample', [
        rule('title', 'isString'),
        rule('bounded', 'isString'),
        rule('bounded', 'maxLength'),
        rule('tags', 'isArray'),
        rule('tags', 'isString', true),
        rule('ids', 'isArray'),
        rule('ids', 'arrayMaxSize'),
        rule('format', 'isIn'),
        rule('origin', 'customValidation', true, 'isOrigin'),
      ]),
    ).toEqual([
      'Sample.title: a string without @MaxLength',
      'Sample.tags: an array without @ArrayMaxSize',
      'Sample.tags: array items that are strings without @MaxLength({ each: true })',
      'Sample.origin: an array without @ArrayMaxSize',
    ]);
  });
});
