// The load generator: one autocannon run in its own process (started by bench/load.ts), so it never shares
// an event loop with the server it measures nor with the runner. Reads the run from argv[2] (JSON), prints
// autocannon's result as JSON on stdout.
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  connections: number;
  duration: number;
  /** POST bodies: a new article each, with a unique title (so a unique slug) and two tags. */
  createArticles?: { titlePrefix: string };
}

const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
let sequence = 0;
const newArticle = (prefix: string) =>
  JSON.stringify({
    article: {
      title: `${prefix}${process.pid}-${Date.now().toString(36)}-${(sequence += 1)}`,
      description: 'Written by the benchmark (bench/README.md) and deleted after the run.',
      body: 'A short body: the benchmark measures the write path, not the size of the row.',
      tagList: ['bench', 'folio-bench'],
    },
  });

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.duration,
  method: spec.method,
  headers: spec.headers,
  ...(spec.createArticles
    ? {
        requests: [
          {
            method: spec.method,
            headers: spec.headers,
            setupRequest: (request) => ({ ...request, body: newArticle(spec.createArticles!.titlePrefix) }),
          },
        ],
      }
    : {}),
});
process.stdout.write(JSON.stringify(result));
