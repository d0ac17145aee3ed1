/**
 * Province KPIs (issue 9): `node bench/run.js --only kpis` (or `npm run bench:kpis`).
 *
 * Runs on a demo province made by `npm run seed:demo -- --scale small|medium|large`:
 *   BENCH_KPI_DATABASE_URL  an already seeded database to use as it is; otherwise the runner seeds
 *                           one: --quick `small` into a scratch database (dropped at the end), the full
 *                           run BENCH_KPI_SCALE (default `medium`) into hocso_demo_<scale>, kept and
 *                           re-used by later runs.
 *
 * A child process boots the real api (dist/, same factory as main.ts, no in-process worker) on that
 * database and measures:
 *   (1) the snapshot computation — every KPI for every unit of the open week, the work a refresh or
 *       the weekly close does — against one plain aggregate over the same fact rows (people ×
 *       completed enrollments GROUP BY unit), runs interleaved; ratio = snapshot ÷ aggregate;
 *   (2) reads of `GET /v1/kpis` and `…/CITIZENS_ONLINE_SERVICES/breakdown?by=commune` as a province
 *       admin with autocannon, against a bare Fastify handler answering the very same bytes;
 *   (3) (full run) the rows PostgreSQL read per request (pg_stat_user_tables, sequential + index
 *       tuples over 100 sequential requests, after the statistics are flushed).
 */
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { ADMIN_URL, DIST, adminQuery, cannon, entry, forkServer, median, sleep, withDb } = require('./lib/common');

async function serve(DB_URL, runs) {
  require('reflect-metadata');
  const Fastify = require('fastify');
  const { DataSource } = require('typeorm');
  const { loadConfig } = require(join(DIST, 'libs/config/src'));
  const { IdentityBootstrapService } = require(join(DIST, 'libs/identity/src'));
  const { KpiSnapshotsService, currentWeek, previousPeriod } = require(join(DIST, 'libs/reporting/src'));
  const { createApiApp } = require(join(DIST, 'apps/api/src/create-api-app'));

  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-bench-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: DB_URL,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    RUN_WORKER: 'false',
    CONTENT_IMPORT_ON_START: 'false',
    // the machine's own password-less Redis on loopback (production refuses one otherwise)
    REDIS_ALLOW_INSECURE: 'true',
    CREDENTIAL_KEYS_CREATE: 'true',
    LTI_KEYS_CREATE: 'true',
    // the abuse limits stay in the path (their cost is measured) without stopping the load
    RATE_LIMIT_MULTIPLIER: '1000000',
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
// Parent: seeding, the load generator, the entries.
// ---------------------------------------------------------------------------------------------
function seed(dbUrl, scale) {
  const db = new URL(dbUrl).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(db)) throw new Error(`refusing to drop database "${db}"`);
  const psql = (sql) => execFileSync('psql', [ADMIN_URL, '-qc', sql], { stdio: 'inherit' });
  psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  psql(`CREATE DATABASE ${db}`);
  const started = Date.now();
  execFileSync('node', [join(DIST, 'apps/cli/src/main.js'), 'seed:demo', '--scale', scale], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: dbUrl, JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn' },
  });
  return Date.now() - started;
}

const MIN_ACCOUNTS = { small: 2_000, medium: 90_000, large: 900_000 };

/** opts: { quick, runs, duration, connections, log }. Returns result entries. */
async function run(opts) {
  const { runs, log } = opts;
  const duration = opts.duration ?? (opts.quick ? 1 : 5);
  const connections = opts.connections ?? 10;
  let dbUrl = process.env.BENCH_KPI_DATABASE_URL;
  let scale = 'given';
  let seedMs = null;
  let drop = null;
  if (!dbUrl) {
    scale = opts.quick ? 'small' : (process.env.BENCH_KPI_SCALE ?? 'medium');
    const db = opts.quick ? `hocso_bench_kpi_${process.pid}` : `hocso_demo_${scale}`;
    dbUrl = withDb(ADMIN_URL, db);
    const exists = (await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [db])).length > 0;
    let accounts = 0;
    if (exists && !opts.quick) {
      const { Client } = require('pg');
      const c = new Client({ connectionString: dbUrl });
      await c.connect();
      accounts = await c
        .query('SELECT count(*)::int AS n FROM app_user')
        .then((r) => r.rows[0].n)
        .catch(() => 0);
      await c.end();
    }
    if (accounts < MIN_ACCOUNTS[scale]) {
      log(`kpis: seeding the demo province (${scale}) into ${db} …`);
      seedMs = seed(dbUrl, scale);
      log(`kpis: seeded in ${(seedMs / 1000).toFixed(1)} s`);
    }
    if (opts.quick) drop = () => adminQuery(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
  const server = await forkServer(__filename, [dbUrl, String(runs)], { readyMs: 3_600_000 });
  const { info } = server;
  try {
    log(
      `kpis: ${new URL(dbUrl).pathname.slice(1)} (${scale}): ${info.people.toLocaleString('en-US')} accounts, ` +
        `${info.enrollments.toLocaleString('en-US')} enrollments; ${runs} runs × ${duration} s, ${connections} connections`,
    );
    const dataset = { scale, accounts: info.people, enrollments: info.enrollments, seedMs };
    const out = [
      entry({
        name: `KPI snapshot (every KPI × every unit, ${scale} province)`,
        unit: 'ms',
        samples: info.compute,
        baselineSamples: info.base,
        extra: { ...dataset, rowsWritten: info.rowsWritten, week: info.week },
      }),
    ];
    const auth = { authorization: `Bearer ${info.token}` };
    const results = info.targets.map(() => ({ api: [], base: [] }));
    for (const t of info.targets) {
      await cannon({ url: info.apiUrl + t.path, duration: 1, connections, headers: auth });
      await cannon({ url: info.baselineUrl + t.path, duration: 1, connections });
    }
    for (let r = 0; r < runs; r++) {
      for (const [i, t] of info.targets.entries()) {
        results[i].api.push(await cannon({ url: info.apiUrl + t.path, duration, connections, headers: auth }));
        results[i].base.push(await cannon({ url: info.baselineUrl + t.path, duration, connections }));
      }
    }
    // Rows read per request: statistics are flushed by each backend at most once a second and
    // otherwise after 10 s idle, so wait them out before and after (full run only).
    const perRequest = [];
    if (!opts.quick) {
      for (const t of info.targets) {
        await sleep(11_000);
        const before = (await server.ask('scan')).scan;
        for (let i = 0; i < 100; i++) {
          const res = await fetch(info.apiUrl + t.path, { headers: auth });
          if (res.status !== 200) throw new Error(`${t.path}: ${res.status}`);
          await res.arrayBuffer();
        }
        await sleep(11_000);
        const after = (await server.ask('scan')).scan;
        perRequest.push({ seq: (after.seq - before.seq) / 100, idx: (after.idx - before.idx) / 100 });
      }
    }
    info.targets.forEach((t, i) => {
      out.push(
        entry({
          name: `KPI read ${t.name} (${scale} province, ${connections} conn)`,
          unit: 'req/s',
          samples: results[i].api.map((x) => x.rps),
          baselineSamples: results[i].base.map((x) => x.rps),
          p50: median(results[i].api.map((x) => x.p50)),
          p99: median(results[i].api.map((x) => x.p99)),
          extra: {
            ...dataset,
            bytes: t.bytes,
            baselineP99: median(results[i].base.map((x) => x.p99)),
            rowsReadPerRequest: perRequest[i] ?? null,
          },
        }),
      );
    });
    return out;
  } finally {
    await server.stop();
    await drop?.();
  }
}

module.exports = { run, name: 'kpis' };

if (process.argv[2] === '--serve') {
  serve(process.argv[3], Number(process.argv[4])).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (require.main === module) {
  require('./run').cli(['--only', 'kpis', ...process.argv.slice(2)]);
}
