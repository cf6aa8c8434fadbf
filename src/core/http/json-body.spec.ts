import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-body.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('exceedsJsonDepth', () => {
  it('accepts nesting up to the limit and refuses one level more', () => {
    expect(exceedsJsonDepth(bytes(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(exceedsJsonDepth(bytes(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
    expect(exceedsJsonDepth(bytes(`{"a":${'{"b":'.repeat(3)}1}}}}`), 3)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(bytes(`{"bio":"${'[{'.repeat(50)}"}`), 2)).toBe(false);
    expect(exceedsJsonDepth(bytes(`{"bio":"a \\" ${'['.repeat(50)}"}`), 2)).toBe(false);
    expect(exceedsJsonDepth(bytes(`{"bio":"a \\\\", "x":${nested(5)}}`), 3)).toBe(true);
  });

  it('reads multi-byte UTF-8 text as text', () => {
    expect(exceedsJsonDepth(bytes(`{"t":"🐉[[[ עברית"}`), 1)).toBe(false);
  });

  it('refuses a deep prefix however long the rest of the body is', () => {
    const hostile = Buffer.concat([bytes(nested(MAX_JSON_DEPTH + 1)), Buffer.alloc(1_000_000, 0x20)]);
    expect(exceedsJsonDepth(hostile)).toBe(true);
  });
});
