import { describe, expect, it } from 'vitest';
import { breakingApiChanges, decide, diffDocuments, parseMarker } from './openapi-breaking.js';

const ok = { responses: { '200': { description: 'ok' } } };
const body = (schema: object) => ({ content: { 'application/json': { schema } } });
const comment = { type: 'object', properties: { body: { type: 'string' }, mood: { type: 'string' } } };

/** The previous commit's document, small and in memory. */
const previous = {
  openapi: '3.0.0',
  info: { title: 'folio', version: '1' },
  paths: {
    '/api/tags': { get: ok },
    '/api/comments': { post: { ...ok, requestBody: body({ ...comment, required: ['body'] }) } },
    '/health/live': { get: ok },
  },
};

function next(change: (document: typeof previous & { paths: Record<string, object> }) => void): object {
  const document = structuredClone(previous) as typeof previous & { paths: Record<string, object> };
  change(document);
  return document;
}

describe('openapi:breaking decision', () => {
  it('counts a removed /api path as breaking', async () => {
    const outcome = await diffDocuments(
      previous,
      next((d) => delete (d.paths as Record<string, object>)['/api/tags']),
    );
    expect(breakingApiChanges(outcome)).toEqual(['path.remove paths./api/tags']);
  });

  it('counts a newly required request field under /api as breaking', async () => {
    const current = next((d) => {
      d.paths['/api/comments'] = { post: { ...ok, requestBody: body({ ...comment, required: ['body', 'mood'] }) } };
    });
    const breaking = breakingApiChanges(await diffDocuments(previous, current));
    expect(breaking).toEqual([
      'request.body.scope.remove paths./api/comments.post.requestBody.content.application/json.schema',
    ]);
  });

  // An added request property is not used here: without additionalProperties it narrows what was accepted.
  it('does not count an added path', async () => {
    const outcome = await diffDocuments(
      previous,
      next((d) => (d.paths['/api/articles'] = { get: ok })),
    );
    expect(outcome.nonBreakingDifferences.map((d) => d.code)).toEqual(['path.add']);
    expect(breakingApiChanges(outcome)).toEqual([]);
  });

  it('ignores breaking changes outside /api (health probes are for operators)', async () => {
    const outcome = await diffDocuments(
      previous,
      next((d) => delete (d.paths as Record<string, object>)['/health/live']),
    );
    expect(outcome.breakingDifferencesFound).toBe(true);
    expect(breakingApiChanges(outcome)).toEqual([]);
  });

  it('lets the marker file accept a listed break, and names entries that no longer apply', () => {
    const marker = [
      { id: 'path.remove paths./api/tags', reason: 'tags moved to /api/v2/tags' },
      { id: 'path.remove paths./api/old', reason: 'an older change' },
    ];
    const decision = decide(['path.remove paths./api/tags', 'method.remove paths./api/comments.post'], marker);
    expect(decision.blocking).toEqual(['method.remove paths./api/comments.post']);
    expect(decision.accepted).toEqual([marker[0]]);
    expect(decision.unused).toEqual([marker[1]]);
  });

  it('reads a missing marker file as empty, and refuses entries without a reason', () => {
    expect(parseMarker(undefined)).toEqual([]);
    expect(parseMarker('[{"id":"path.remove paths./api/tags","reason":"moved"}]')).toHaveLength(1);
    expect(() => parseMarker('[{"id":"path.remove paths./api/tags","reason":" "}]')).toThrow(/non-empty "reason"/);
    expect(() => parseMarker('{"id":"x"}')).toThrow(/JSON array/);
  });
});
