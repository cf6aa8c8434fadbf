// Fills the database named by DATABASE_URL (already migrated) with realistic fake data, e.g. for bench/:
//   npm run seed -- --users 1000 --articles 10000 --favorites 100000 --comments 20000 [--follows 20] [--reset]
//   npm run seed -- --recount      only recompute the maintained counters from their rows
// The rows are generated inside PostgreSQL (scripts/seed/generate.ts) in one transaction: a failure leaves the
// database as it was; 1M articles and 1M favorites take a few minutes. See bench/README.md.
// Installs the `.js` → `.ts` resolution before anything that needs it is imported (a variable: tsc leaves it be).
const resolver = './ts-resolve.ts';
await import(resolver);

const { main } = await import('./seed/main.js');
main().catch((error: unknown) => {
  console.error('seed: failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
