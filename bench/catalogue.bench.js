/**
 * Catalogue read benchmark (`npm run bench:catalogue`, which builds first).
 *
 * A child process boots the real api (the built dist/, same factory as main.ts) on the embedded
 * defaults — or on DATABASE_URL when set (point it at a scratch database: the starter library is
 * imported into it) — imports content/, and also serves a bare Fastify JSON handler that answers
 * with the very same bytes as each api route. This process drives both with autocannon over
 * loopback, one target at a time, interleaved, and prints req/s and p99 latency (medians of the
 * runs) for the api and the baseline, and their ratio.
 *
 * BENCH_DURATION (seconds per run, default 5), BENCH_RUNS (default 3), BENCH_CONNECTIONS (default 10).
 */
const { fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const TARGETS = [
  { name: 'catalogue search', path: '/v1/courses?q=dich%20vu%20cong' },
  { name: 'catalogue search (accents, caps)', path: `/v1/courses?q=${encodeURIComponent('DỊCH VỤ CÔNG')}` },
  { name: 'course outline', path: '/v1/courses/dich-vu-cong-truc-tuyen' },
];

const int = (name, fallback, max) => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v > 0 ? Math.min(v, max) : fallback;
};

// ---------------------------------------------------------------------------------------------
// Child: the servers under test.
// ---------------------------------------------------------------------------------------------
async function serve() {
  require('reflect-metadata');
  const Fastify = require('fastify');
  const dist = join(ROOT, 'dist');
  const { loadConfig } = require(join(dist, 'libs/config/src'));
  const { stopEmbeddedPostgres } = require(join(dist, 'libs/database/src'));
  const { CourseImportService } = require(join(dist, 'libs/courses/src'));
  const { createApiApp } = require(join(dist, 'apps/api/src/create-api-app'));

  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-bench-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    RUN_WORKER: 'false',
    HOST: '127.0.0.1',
  });
  const started = Date.now();
  const app = await createApiApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const report = await app.get(CourseImportService).importDirectory(join(ROOT, 'content'));
  const apiUrl = `http://127.0.0.1:${app.getHttpServer().address().port}`;

  // The baseline: no validation, no database, no auth — a map lookup and the same bytes.
  const baseline = Fastify({ logger: false });
  const bodies = [];
  const byUrl = new Map();
  for (const target of TARGETS) {
    const res = await app.inject({ method: 'GET', url: target.path });
    if (res.statusCode !== 200) throw new Error(`${target.path}: ${res.statusCode} ${res.body}`);
    byUrl.set(target.path, { body: res.body, type: res.headers['content-type'] });
    bodies.push(Buffer.byteLength(res.body));
  }
  baseline.get('/*', async (req, reply) => {
    const hit = byUrl.get(req.url);
    return hit ? reply.header('content-type', hit.type).send(hit.body) : reply.code(404).send();
  });
  await baseline.listen({ port: 0, host: '127.0.0.1' });
  const baselineUrl = `http://127.0.0.1:${baseline.server.address().port}`;

  process.send({
    ready: true,
    apiUrl,
    baselineUrl,
    bytes: bodies,
    database: config.db.url ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite',
    bootAndImportMs: Date.now() - started,
    imported: report.counts,
  });
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    await baseline.close();
    await app.close();
    await stopEmbeddedPostgres();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------
// Parent: the load generator.
// ---------------------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function load(url, seconds, connections) {
  const autocannon = require('autocannon');
  const r = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  if (r.errors || r.timeouts || r.non2xx) {
    throw new Error(`${url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx responses`);
  }
  return { rps: r.requests.average, p99: r.latency.p99 };
}

async function main() {
  const duration = int('BENCH_DURATION', 5, 60);
  const runs = int('BENCH_RUNS', 3, 10);
  const connections = int('BENCH_CONNECTIONS', 10, 256);
  const child = fork(__filename, ['--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
  });
  process.on('exit', () => child.kill());
  const READY_MS = 180_000;
  const info = await new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill();
      fail(new Error(`the api was not ready (booted and imported) within ${READY_MS / 1000} s`));
    }, READY_MS);
    child.once('message', (m) => {
      clearTimeout(timer);
      ok(m);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server process exited (${code}) before it was ready`));
    });
  });
  try {
    console.log(
      `Hocso catalogue reads — ${info.database}; api booted and imported the library in ${info.bootAndImportMs} ms ` +
        `(${JSON.stringify(info.imported)})`,
    );
    console.log(
      `${runs} runs × ${duration} s per target and server, ${connections} connections, loopback; ` +
        'baseline: bare Fastify answering the same bytes\n',
    );
    const results = TARGETS.map(() => ({ api: [], base: [] }));
    // warm-up (JIT, caches, connection pools)
    for (const t of TARGETS) {
      await load(info.apiUrl + t.path, 1, connections);
      await load(info.baselineUrl + t.path, 1, connections);
    }
    for (let run = 0; run < runs; run++) {
      for (const [i, t] of TARGETS.entries()) {
        results[i].api.push(await load(info.apiUrl + t.path, duration, connections));
        results[i].base.push(await load(info.baselineUrl + t.path, duration, connections));
      }
    }
    const rows = TARGETS.map((t, i) => {
      const api = { rps: median(results[i].api.map((r) => r.rps)), p99: median(results[i].api.map((r) => r.p99)) };
      const base = { rps: median(results[i].base.map((r) => r.rps)), p99: median(results[i].base.map((r) => r.p99)) };
      return { t, bytes: info.bytes[i], api, base };
    });
    const pad = (s, n) => String(s).padEnd(n);
    const num = (x) => Math.round(x).toLocaleString('en-US');
    console.log(
      `${pad('target', 34)}${pad('bytes', 8)}${pad('api req/s', 12)}${pad('api p99', 10)}` +
        `${pad('base req/s', 12)}${pad('base p99', 10)}${pad('req/s ratio', 13)}p99 ratio`,
    );
    for (const r of rows) {
      console.log(
        `${pad(r.t.name, 34)}${pad(r.bytes, 8)}${pad(num(r.api.rps), 12)}${pad(`${r.api.p99} ms`, 10)}` +
          `${pad(num(r.base.rps), 12)}${pad(`${r.base.p99} ms`, 10)}${pad((r.api.rps / r.base.rps).toFixed(3), 13)}` +
          `${(r.api.p99 / Math.max(r.base.p99, 1)).toFixed(1)}×`,
      );
    }
    console.log(
      '\nreq/s ratio = api / baseline (1.0 would be as fast as a handler that does nothing); medians of the runs.',
    );
  } finally {
    child.send('stop');
  }
}

if (process.argv.includes('--serve')) {
  serve().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
