/**
 * Province KPI benchmark (issue 9): `npm run bench:kpis` (builds first).
 *
 * Runs against a demo province made by `npm run seed:demo -- --scale large` (1,000,000 learners):
 *   BENCH_KPI_DATABASE_URL  the seeded database (default postgres://postgres@127.0.0.1:5432/hocso_demo_large)
 *   BENCH_KPI_SEED          small | medium | large: (re)create that database first and seed it at this
 *                           scale (drops the database named in BENCH_KPI_DATABASE_URL — a scratch one)
 *   BENCH_DURATION (s per run, default 5), BENCH_RUNS (default 5), BENCH_CONNECTIONS (default 10),
 *   BENCH_SCAN_REQUESTS (requests whose rows scanned are counted, default 100)
 *
 * A child process boots the real api (dist/, same factory as main.ts, no in-process worker) on that
 * database and measures, itself:
 *   (1) the snapshot computation — every KPI for every unit of the open week, the work a refresh or
 *       the weekly close does — against one plain aggregate over the same fact rows (people ×
 *       completed enrollments GROUP BY unit), runs interleaved; ratio = snapshot ÷ aggregate;
 * and serves a bare Fastify handler answering the very same bytes as each KPI route. This process
 * drives both with autocannon over loopback (the api with a province admin's token) and prints, for
 * the overview (`GET /v1/kpis`) and a breakdown (`…/CITIZENS_ONLINE_SERVICES/breakdown?by=commune`),
 * req/s, p50 and p99 (medians of the runs) for the api and the baseline, and the rows PostgreSQL
 * read per request (pg_stat_user_tables: sequential + index tuples, over BENCH_SCAN_REQUESTS
 * sequential requests, after the statistics are flushed).
 */
const { execFileSync, fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');
const DB_URL = process.env.BENCH_KPI_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/hocso_demo_large';
const int = (name, fallback, max) => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v > 0 ? Math.min(v, max) : fallback;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Child: the servers under test, and the snapshot computation.
// ---------------------------------------------------------------------------------------------
async function serve() {
  require('reflect-metadata');
  const Fastify = require('fastify');
  const { DataSource } = require('typeorm');
  const { loadConfig } = require(join(DIST, 'libs/config/src'));
  const { IdentityBootstrapService } = require(join(DIST, 'libs/identity/src'));
  const { KpiSnapshotsService, currentWeek, previousPeriod } = require(join(DIST, 'libs/reporting/src'));
  const { createApiApp } = require(join(DIST, 'apps/api/src/create-api-app'));
  const runs = int('BENCH_RUNS', 5, 20);

  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-bench-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: DB_URL,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    RUN_WORKER: 'false',
    CONTENT_IMPORT_ON_START: 'false',
    CREDENTIAL_KEYS_CREATE: 'true',
    LTI_KEYS_CREATE: 'true',
    HOST: '127.0.0.1',
  });
  const app = await createApiApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const ds = app.get(DataSource);
  const [{ people, enrollments }] = await ds.query(
    `SELECT (SELECT count(*)::int FROM app_user) AS people, (SELECT count(*)::int FROM enrollment) AS enrollments`,
  );
  if (people < 1000) throw new Error(`${DB_URL} holds ${people} accounts: seed it first (npm run seed:demo)`);

  const password = randomBytes(12).toString('base64url');
  const email = `bench-kpi-${randomBytes(4).toString('hex')}@hocso.example`;
  await app.get(IdentityBootstrapService).ensureProvinceAdmin(email, password, 'Bench KPI', true);
  const login = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { identifier: email, password },
  });
  const token = login.json().accessToken;
  if (!token) throw new Error(`bench admin could not sign in: ${login.statusCode} ${login.body}`);

  // (1) the snapshot computation against a plain aggregate over the same rows
  const snapshots = app.get(KpiSnapshotsService);
  const week = currentWeek();
  await snapshots.refresh(previousPeriod(week).key); // the trend's previous week exists (frozen)
  const aggregate = `SELECT u.org_unit_id, count(DISTINCT u.id) AS people, count(e.user_id) AS completions
                       FROM app_user u LEFT JOIN enrollment e ON e.user_id = u.id AND e.completed_at IS NOT NULL
                      GROUP BY u.org_unit_id`;
  await ds.query(aggregate); // warm-up
  const compute = [];
  const base = [];
  let rowsWritten = 0;
  for (let i = 0; i < runs; i++) {
    let t = process.hrtime.bigint();
    const { period } = await snapshots.refresh(week.key);
    compute.push(Number(process.hrtime.bigint() - t) / 1e6);
    rowsWritten = period.rowCount;
    t = process.hrtime.bigint();
    await ds.query(aggregate);
    base.push(Number(process.hrtime.bigint() - t) / 1e6);
  }

  const targets = [
    { name: 'overview GET /v1/kpis', path: `/v1/kpis?period=${week.key}` },
    {
      name: 'breakdown by commune',
      path: `/v1/kpis/CITIZENS_ONLINE_SERVICES/breakdown?by=commune&period=${week.key}`,
    },
  ];
  const baseline = Fastify({ logger: false });
  const byUrl = new Map();
  for (const target of targets) {
    const res = await app.inject({ method: 'GET', url: target.path, headers: { authorization: `Bearer ${token}` } });
    if (res.statusCode !== 200) throw new Error(`${target.path}: ${res.statusCode} ${res.body}`);
    byUrl.set(target.path, { body: res.body, type: res.headers['content-type'] });
    target.bytes = Buffer.byteLength(res.body);
  }
  baseline.get('/*', async (req, reply) => {
    const hit = byUrl.get(req.url);
    return hit ? reply.header('content-type', hit.type).send(hit.body) : reply.code(404).send();
  });
  await baseline.listen({ port: 0, host: '127.0.0.1' });

  const scanned = async () => {
    const [r] = await ds.query(
      `SELECT coalesce(sum(seq_tup_read), 0)::bigint AS seq, coalesce(sum(idx_tup_fetch), 0)::bigint AS idx
         FROM pg_stat_user_tables`,
    );
    return { seq: Number(r.seq), idx: Number(r.idx) };
  };
  process.send({
    ready: true,
    apiUrl: `http://127.0.0.1:${app.getHttpServer().address().port}`,
    baselineUrl: `http://127.0.0.1:${baseline.server.address().port}`,
    token,
    targets,
    people,
    enrollments,
    week: week.key,
    compute,
    base,
    rowsWritten,
  });
  process.on('message', async (m) => {
    if (m === 'scan') {
      process.send({ scan: await scanned() });
    } else if (m === 'stop') {
      await ds.query(`DELETE FROM app_user WHERE email = $1`, [email]);
      await baseline.close();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Parent: seeding on request, the load generator, the report.
// ---------------------------------------------------------------------------------------------
async function load(url, seconds, connections, headers = {}) {
  const autocannon = require('autocannon');
  const r = await autocannon({ url, connections, duration: seconds, pipelining: 1, headers });
  if (r.errors || r.timeouts || r.non2xx) {
    throw new Error(`${url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx responses`);
  }
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

function seed(scale) {
  const u = new URL(DB_URL);
  const db = u.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(db)) throw new Error(`refusing to drop database "${db}"`);
  const admin = new URL(DB_URL);
  admin.pathname = '/postgres';
  const psql = (sql) => execFileSync('psql', [admin.toString(), '-qc', sql], { stdio: 'inherit' });
  psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  psql(`CREATE DATABASE ${db}`);
  const started = Date.now();
  execFileSync('node', [join(DIST, 'apps/cli/src/main.js'), 'seed:demo', '--scale', scale], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: DB_URL, JWT_SECRET: randomBytes(32).toString('hex') },
  });
  return Date.now() - started;
}

async function main() {
  const duration = int('BENCH_DURATION', 5, 60);
  const runs = int('BENCH_RUNS', 5, 20);
  const connections = int('BENCH_CONNECTIONS', 10, 256);
  const scanRequests = int('BENCH_SCAN_REQUESTS', 100, 10_000);
  const seedScale = process.env.BENCH_KPI_SEED;
  const seedMs = seedScale ? seed(seedScale) : null;
  const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  process.on('exit', () => child.kill());
  const info = await new Promise((ok, fail) => {
    child.once('message', ok);
    child.once('exit', (code) => fail(new Error(`server process exited (${code}) before it was ready`)));
  });
  const ask = (m) =>
    new Promise((ok) => {
      child.once('message', ok);
      child.send(m);
    });
  try {
    const db = new URL(DB_URL).pathname.slice(1);
    console.log(
      `Hocso province KPIs — PostgreSQL database ${db}: ${info.people.toLocaleString('en-US')} accounts, ` +
        `${info.enrollments.toLocaleString('en-US')} enrollments${seedMs ? `; seeded (${seedScale}) in ${(seedMs / 1000).toFixed(1)} s` : ''}`,
    );
    const c = median(info.compute);
    const b = median(info.base);
    console.log(
      `\n(1) snapshot of ${info.week} (every KPI × every unit, ${info.rowsWritten.toLocaleString('en-US')} rows written), ${runs} runs:` +
        `\n    snapshot median ${c.toFixed(0)} ms (min ${Math.min(...info.compute).toFixed(0)}, max ${Math.max(...info.compute).toFixed(0)})` +
        `\n    plain aggregate median ${b.toFixed(0)} ms (min ${Math.min(...info.base).toFixed(0)}, max ${Math.max(...info.base).toFixed(0)})` +
        `\n    ratio snapshot ÷ aggregate ${(c / b).toFixed(2)}×\n`,
    );
    const auth = { authorization: `Bearer ${info.token}` };
    const results = info.targets.map(() => ({ api: [], base: [] }));
    for (const t of info.targets) {
      await load(info.apiUrl + t.path, 1, connections, auth);
      await load(info.baselineUrl + t.path, 1, connections);
    }
    for (let run = 0; run < runs; run++) {
      for (const [i, t] of info.targets.entries()) {
        results[i].api.push(await load(info.apiUrl + t.path, duration, connections, auth));
        results[i].base.push(await load(info.baselineUrl + t.path, duration, connections));
      }
    }
    // Rows read per request: statistics are flushed by each backend at most once a second and
    // otherwise after 10 s idle, so wait them out before and after.
    const perRequest = [];
    for (const t of info.targets) {
      await sleep(11_000);
      const before = (await ask('scan')).scan;
      for (let i = 0; i < scanRequests; i++) {
        const res = await fetch(info.apiUrl + t.path, { headers: auth });
        if (res.status !== 200) throw new Error(`${t.path}: ${res.status}`);
        await res.arrayBuffer();
      }
      await sleep(11_000);
      const after = (await ask('scan')).scan;
      perRequest.push({ seq: (after.seq - before.seq) / scanRequests, idx: (after.idx - before.idx) / scanRequests });
    }
    const pad = (s, n) => String(s).padEnd(n);
    const num = (x) => Math.round(x).toLocaleString('en-US');
    console.log(
      `(2) reads, ${runs} runs × ${duration} s, ${connections} connections, loopback; baseline: bare Fastify answering the same bytes\n`,
    );
    console.log(
      `${pad('target', 24)}${pad('bytes', 8)}${pad('api req/s', 11)}${pad('p50', 8)}${pad('p99', 8)}` +
        `${pad('base req/s', 12)}${pad('base p99', 10)}${pad('ratio', 8)}rows read/request (seq + index)`,
    );
    info.targets.forEach((t, i) => {
      const api = results[i].api;
      const base = results[i].base;
      const rps = median(api.map((r) => r.rps));
      const brps = median(base.map((r) => r.rps));
      console.log(
        `${pad(t.name, 24)}${pad(t.bytes, 8)}${pad(num(rps), 11)}${pad(`${median(api.map((r) => r.p50))} ms`, 8)}` +
          `${pad(`${median(api.map((r) => r.p99))} ms`, 8)}${pad(num(brps), 12)}${pad(`${median(base.map((r) => r.p99))} ms`, 10)}` +
          `${pad((rps / brps).toFixed(3), 8)}${num(perRequest[i].seq + perRequest[i].idx)} (${num(perRequest[i].seq)} + ${num(perRequest[i].idx)})`,
      );
    });
    console.log('\nratio = api req/s ÷ baseline req/s; medians of the runs.');
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
