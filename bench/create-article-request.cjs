// autocannon setupRequest for the create-article scenario. CommonJS with a default-export function because
// autocannon's worker threads `require()` it by path (functions cannot be sent to a worker).
'use strict';

const { randomBytes } = require('node:crypto');

// Unique per worker and per request: the API turns titles into slugs, and equal titles would only measure
// the slug-conflict retry path.
const prefix = `Folio bench article ${randomBytes(4).toString('hex')}`;
const tags = JSON.parse(process.env.FOLIO_BENCH_TAGS || '[]');
let counter = 0;

module.exports = function setupRequest(request) {
  counter += 1;
  const tagList = tags.length > 0 ? [tags[counter % tags.length], tags[(counter * 7) % tags.length]] : [];
  const article = {
    title: `${prefix} ${counter}`,
    description: 'Written by the benchmark',
    body: `# Benchmark\n\nRequest ${counter}: ${'lorem ipsum dolor sit amet '.repeat(40)}`,
    tagList,
  };
  return { ...request, body: JSON.stringify({ article }) };
};
