// npm run bench:auth -- [--duration 10] [--connections 20]
// What the revocation check (src/modules/identity/revocation-list.ts) costs a request. Folio is started from
// dist/ twice, each in its own process on a scratch database: with REDIS_URL (the check is one MGET on Redis)
// and without it (embedded mode: two in-process lookups). Each is loaded by autocannon from another process on
// GET /api/tags anonymously (served by the anonymous read cache) and with a RealWorld token (signature,
// revocation check, and the handler: a signed-in read skips the anonymous cache). The revocation check's own
// cost is the difference between the two "with a token" lines (Redis MGET vs in-process lookups); the
// GET /api/user line shows what reading rows per request costs (the user and its session, by primary key).
const resolver = '../scripts/ts-resolve.ts';
await import(resolver);

const { spawn, execFileSync } = await import('node:child_process');
const { randomBytes } = await import('node:crypto');
const { join } = await import('node:path');
const { parseArgs } = await import('node:util');
const { setTimeout: sleep } = await import('node:timers/promises');
const pg = (await import('pg')).default;
const { Redis } = await import('ioredis');
const { load } = await import('./load.js');

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '20' } },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const root = join(import.meta.dirname, '..');
const serverUrl = new URL(process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function startFolio(label: string, port: number, redis: boolean) {
  const database = `folio_bench_auth_${label}_${run}`;
  await admin(`CREATE DATABASE "${database}"`);
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${database}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl.toString(),
    DATABASE_MIGRATE_ON_START: 'true',
    RATE_LIMIT_ENABLED: 'false',
    REDIS_KEY_PREFIX: `folio-bench-auth:${run}:`,
  };
  if (redis) env.REDIS_URL = redisUrl;
  else delete env.REDIS_URL;
  const child = spawn(process.execPath, ['--import', './dist/src/instrument.js', 'dist/src/main.js'], {
    cwd: root,
    env,
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    if ((await fetch(`${base}/health/ready`).catch(() => undefined))?.ok) break;
    await sleep(100);
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const registered = await fetch(`${base}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { username: name, email: `${name}@example.com`, password: 'bench-password' } }),
  });
  const { user } = (await registered.json()) as { user: { token: string } };
  return {
    base,
    token: user.token,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      if (redis) {
        const client = new Redis(redisUrl);
        const keys = await client.keys(`folio-bench-auth:${run}:*`);
        if (keys.length > 0) await client.del(...keys);
        client.disconnect();
      }
    },
  };
}

type Row = { scenario: string; reqPerSec: number; p50Ms: number; p99Ms: number; non2xx: number };
const rows: Row[] = [];

async function measure(scenario: string, url: string, headers: Record<string, string>): Promise<void> {
  await load({ url, method: 'GET', headers, connections, duration: 2 }); // warm-up
  const m = await load({ url, method: 'GET', headers, connections, duration });
  rows.push({ scenario, reqPerSec: Math.round(m.reqPerSec), p50Ms: m.p50Ms, p99Ms: m.p99Ms, non2xx: m.non2xx });
}

execFileSync(process.execPath, [join(root, 'scripts', 'build-if-needed.ts')], { cwd: root, stdio: 'inherit' });
for (const [label, redis, port] of [
  ['redis', true, 3917],
  ['embedded', false, 3918],
] as const) {
  const folio = await startFolio(label, port, redis);
  try {
    const auth = { authorization: `Token ${folio.token}` };
    await measure(`${label}: GET /api/tags anonymous (baseline)`, `${folio.base}/api/tags`, {});
    await measure(
      `${label}: GET /api/tags with a token (verify, revocation check, handler)`,
      `${folio.base}/api/tags`,
      auth,
    );
    await measure(`${label}: GET /api/user (reads user and session rows)`, `${folio.base}/api/user`, auth);
  } finally {
    await folio.stop();
  }
}
console.log(`\nconnections=${connections} duration=${duration}s`);
console.table(rows);
