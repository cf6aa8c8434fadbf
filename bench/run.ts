// npm run bench -- [--sizes 10k,1m] [--duration 10] [--connections 50] [--warmup 2] [--scenarios list,feed]
//                  [--pool-size 10] [--folio <built checkout>] [--reseed] [--keep-created] [--cpu-prof <scenario>]
// Folio and a raw Fastify + pg baseline, each in its own process, loaded by autocannon from a third process,
// at 10k and 1M articles; see bench/README.md.
// Installs the `.js` → `.ts` resolution before anything that needs it is imported (a variable: tsc leaves it be).
const resolver = '../scripts/ts-resolve.ts';
await import(resolver);

const { main } = await import('./main.js');
main().catch((error: unknown) => {
  console.error('bench: failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
