/**
 * Workforce benchmarks (issue 5; RELIABILITY.md §2 B4/B5/B9): `npm run build && node bench/workforce.bench.js`.
 *
 * (a) Ingest end to end: training-session rows per second sent as HTTP reports of 1,000 rows (JSON,
 *     4 in flight) through the real api → queue → worker → upsert, until every report is done and
 *     every enterprise-week rollup has finished — against `\copy` (psql, CSV) of the same rows into
 *     the same table, measured in the same run. Ratio = api ÷ COPY.
 * (b) Weekly rollup of W workers / 5·W sessions: (1) one queued job per enterprise-week, as ingests
 *     trigger them; (2) the set-based recompute the weekly close runs — against a plain
 *     `SELECT … GROUP BY` computing the same coverage over the same rows. Ratio = rollup ÷ aggregate.
 * (c) Both on BullMQ's Redis backend and on its PostgreSQL backend (same database).
 *
 * Everything runs against PostgreSQL and Redis on this machine (loopback only): a scratch database
 * is created from DATABASE_URL's server and dropped at the end; Redis keys use their own prefix.
 *   DATABASE_URL   admin URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *   REDIS_URL      default redis://127.0.0.1:6379 (BENCH_WF_BACKENDS=postgres skips Redis)
 *   BENCH_WF_ROWS           rows for (a), default 50000 (issue size: 1000000)
 *   BENCH_WF_ROLLUP_WORKERS workers for (b), default 20000 → 100,000 sessions (issue size: 200000 → 1,000,000)
 *   BENCH_RUNS              runs per measurement, medians reported (default 3, max 10)
 *   BENCH_WF_BACKENDS       "redis,postgres" (default) or one of them
 */
const { execFileSync } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');
const int = (name, fallback, min, max) => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v >= min ? Math.min(v, max) : fallback;
};
const ROWS = int('BENCH_WF_ROWS', 50_000, 1000, 1_000_000);
const ROLLUP_WORKERS = int('BENCH_WF_ROLLUP_WORKERS', 20_000, 1000, 200_000);
const RUNS = int('BENCH_RUNS', 3, 1, 10);
const BACKENDS = (process.env.BENCH_WF_BACKENDS ?? 'redis,postgres').split(',').map((s) => s.trim());
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const BATCH = 1000;
const IN_FLIGHT = 4;
const WORKERS_PER_ENTERPRISE = 200;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function withDb(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function adminQuery(sql) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Boots the real api (worker in-process) on a scratch database; returns helpers. */
async function boot(backend, dbName, dataDir) {
  require('reflect-metadata');
  const { loadConfig } = require(join(DIST, 'libs/config/src'));
  const { createApiApp } = require(join(DIST, 'apps/api/src/create-api-app'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: withDb(ADMIN_URL, dbName),
    REDIS_URL: backend === 'redis' ? REDIS_URL : undefined,
    REDIS_PREFIX: `hocso-bench-${randomBytes(4).toString('hex')}`,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    RUN_WORKER: 'true',
    DB_POOL_SIZE: '10',
    HOST: '127.0.0.1',
  });
  const app = await createApiApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, config, url: `http://127.0.0.1:${app.getHttpServer().address().port}` };
}

/** A province admin actor, a park, and `n` enterprises (through the services), each with an API key. */
async function organisations(app, n) {
  const { DataSource } = require('typeorm');
  const { EnterprisesService } = require(join(DIST, 'libs/workforce/src'));
  const ds = app.get(DataSource);
  const [root] = await ds.query(`SELECT id, path FROM org_unit WHERE kind = 'province' ORDER BY created_at LIMIT 1`);
  const [user] = await ds.query(
    `INSERT INTO app_user (email, full_name, roles, org_unit_id) VALUES ($1, 'Bench', '{province_admin}', $2) RETURNING id`,
    [`bench-${randomUUID()}@bench.local`, root.id],
  );
  const actor = {
    kind: 'user',
    userId: user.id,
    roles: ['province_admin'],
    orgUnitId: root.id,
    orgPath: root.path,
    locale: 'vi',
  };
  const svc = app.get(EnterprisesService);
  const park = await svc.createPark(actor, { name: 'KCN Bench', code: `KCN-B-${randomBytes(4).toString('hex')}` });
  const out = [];
  for (let i = 0; i < n; i++) {
    const tax = `49${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const e = await svc.createEnterprise(actor, {
      name: `DN ${i}`,
      taxCode: tax,
      industrialParkId: park.unit.id,
      ownership: 'domestic',
    });
    const key = await svc.createApiKey(actor, e.unit.id, { name: 'bench' });
    out.push({ id: e.unit.id, key: key.secret });
  }
  return { ds, park: park.unit.id, enterprises: out };
}

function localDate(offsetDays) {
  return new Date(Date.now() + 7 * 3600_000 - offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** rows = workers × 5 days (the last five local days before today, so all inside the window). */
function sessionsFor(rows) {
  const workers = Math.ceil(rows / 5);
  const days = [1, 2, 3, 4, 5].map(localDate);
  const out = [];
  for (let w = 0; w < workers && out.length < rows; w++) {
    for (let d = 0; d < 5 && out.length < rows; d++) {
      out.push({
        workerCode: `W${String(w).padStart(7, '0')}`,
        date: days[d],
        minutes: 5 + ((w + d) % 40),
        topic: `Chủ đề ${d}`,
      });
    }
  }
  return { workers, sessions: out };
}

async function http(url, method, path, key, body, idem) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': key, ...(idem ? { 'idempotency-key': idem } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function settled(ds, reportIds, timeoutMs = 1_800_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ pending }] = await ds.query(
      `SELECT count(*)::int AS pending FROM training_report WHERE id = ANY($1) AND status NOT IN ('done', 'failed')`,
      [reportIds],
    );
    const [{ dirty }] = await ds.query(
      `SELECT count(*)::int AS dirty FROM weekly_enterprise_compliance WHERE requested_seq > computed_seq`,
    );
    if (pending === 0 && dirty === 0) return;
    if (Date.now() > deadline) throw new Error('ingest did not settle');
    await sleep(20);
  }
}

/** (a) one run: HTTP ingest of the rows into a fresh enterprise, then \copy of the same rows into another. */
async function ingestRun(ctx, orgs, run) {
  const { sessions, workers } = sessionsFor(ROWS);
  const target = orgs.enterprises[2 * run];
  const copyTarget = orgs.enterprises[2 * run + 1];
  const codes = Array.from({ length: workers }, (_, w) => ({ workerCode: `W${String(w).padStart(7, '0')}` }));
  for (let i = 0; i < codes.length; i += 50_000) {
    await http(ctx.url, 'PUT', `/v1/enterprises/${target.id}/workers`, target.key, {
      workers: codes.slice(i, i + 50_000),
    });
    await http(ctx.url, 'PUT', `/v1/enterprises/${copyTarget.id}/workers`, copyTarget.key, {
      workers: codes.slice(i, i + 50_000),
    });
  }
  await settled(orgs.ds, []);

  const batches = [];
  for (let i = 0; i < sessions.length; i += BATCH) batches.push(sessions.slice(i, i + BATCH));
  const ids = [];
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < batches.length) {
        const b = batches[next++];
        const r = await http(
          ctx.url,
          'POST',
          `/v1/enterprises/${target.id}/training-reports`,
          target.key,
          { sessions: b },
          randomUUID(),
        );
        ids.push(r.id);
      }
    }),
  );
  const acceptedMs = Number(process.hrtime.bigint() - started) / 1e6;
  await settled(orgs.ds, ids);
  const apiMs = Number(process.hrtime.bigint() - started) / 1e6;
  const [{ n }] = await orgs.ds.query(`SELECT count(*)::int AS n FROM training_session WHERE enterprise_id = $1`, [
    target.id,
  ]);
  if (n !== sessions.length) throw new Error(`expected ${sessions.length} rows, found ${n}`);

  // Baseline: the same rows as CSV, \copy'd by psql into the same table (same indexes and FK).
  const ids2 = await orgs.ds.query(`SELECT id, worker_code FROM worker WHERE enterprise_id = $1`, [copyTarget.id]);
  const byCode = new Map(ids2.map((r) => [r.worker_code, r.id]));
  const reportId = randomUUID();
  const csv = sessions
    .map(
      (s) =>
        `${copyTarget.id},${byCode.get(s.workerCode)},${s.date},topic:${s.topic},${s.minutes},${s.topic},${reportId}`,
    )
    .join('\n');
  const file = join(ctx.dataDir, `copy-${run}.csv`);
  writeFileSync(file, `${csv}\n`);
  const copyStarted = process.hrtime.bigint();
  execFileSync('psql', [
    ctx.config.db.url,
    '-q',
    '-c',
    `\\copy training_session (enterprise_id, worker_id, local_date, session_key, minutes, topic, report_id) FROM '${file}' CSV`,
  ]);
  const copyMs = Number(process.hrtime.bigint() - copyStarted) / 1e6;
  return {
    apiRowsPerSec: (sessions.length / apiMs) * 1000,
    acceptRowsPerSec: (sessions.length / acceptedMs) * 1000,
    copyRowsPerSec: (sessions.length / copyMs) * 1000,
  };
}

/** (b) data for the rollup: enterprises × 200 workers × 5 sessions, inserted set-based. */
async function rollupData(ds, enterprises) {
  const days = [1, 2, 3, 4, 5].map(localDate);
  await ds.query(
    `INSERT INTO worker (enterprise_id, worker_code)
     SELECT e, 'R' || lpad(g::text, 6, '0') FROM unnest($1::uuid[]) e, generate_series(1, $2) g`,
    [enterprises, WORKERS_PER_ENTERPRISE],
  );
  await ds.query(
    `INSERT INTO training_session (enterprise_id, worker_id, local_date, session_key, minutes, topic, report_id)
     SELECT w.enterprise_id, w.id, d::date, 'topic:x', 5 + (abs(hashtext(w.id::text || d)) % 30), 'x', gen_random_uuid()
     FROM worker w, unnest($2::text[]) d WHERE w.enterprise_id = ANY($1::uuid[])`,
    [enterprises, days],
  );
  await ds.query('ANALYZE worker; ANALYZE training_session');
  const { isoWeekOf } = require(join(DIST, 'libs/workforce/src'));
  const weeks = [...new Set(days.map(isoWeekOf))];
  return weeks;
}

async function rollupRun(ctx, ds, enterprises, weeks) {
  const { ComplianceService } = require(join(DIST, 'libs/workforce/src'));
  const compliance = ctx.app.get(ComplianceService);
  const pairs = enterprises.flatMap((enterpriseId) => weeks.map((isoWeek) => ({ enterpriseId, isoWeek })));
  // (1) queued: one job per enterprise-week, until no enterprise-week is dirty.
  let t0 = process.hrtime.bigint();
  await ds.transaction((em) => compliance.markDirty(em, pairs));
  await compliance.enqueue(pairs);
  await settled(ds, []);
  const queuedMs = Number(process.hrtime.bigint() - t0) / 1e6;
  // (2) set-based, as the weekly close does it (chunks of 200 enterprises).
  t0 = process.hrtime.bigint();
  for (const w of weeks)
    for (let i = 0; i < enterprises.length; i += 200) await compliance.recomputeMany(enterprises.slice(i, i + 200), w);
  const setMs = Number(process.hrtime.bigint() - t0) / 1e6;
  // Baseline: a plain aggregate of the same coverage over the same rows.
  t0 = process.hrtime.bigint();
  for (const w of weeks) {
    const { weekRange } = require(join(DIST, 'libs/workforce/src'));
    const { monday, sunday } = weekRange(w);
    await ds.query(
      `SELECT w.enterprise_id, count(*) AS active, count(*) FILTER (WHERE coalesce(m.minutes, 0) >= 60) AS covered
       FROM worker w LEFT JOIN (
         SELECT worker_id, sum(least(d, 240)) AS minutes FROM (
           SELECT worker_id, local_date, sum(minutes) AS d FROM training_session
           WHERE enterprise_id = ANY($1::uuid[]) AND local_date BETWEEN $2 AND $3 GROUP BY 1, 2) x GROUP BY 1
       ) m ON m.worker_id = w.id
       WHERE w.enterprise_id = ANY($1::uuid[]) GROUP BY 1`,
      [enterprises, monday, sunday],
    );
  }
  const aggMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { queuedMs, setMs, aggMs };
}

async function backendSuite(backend) {
  const dbName = `hocso_bench_${process.pid}_${backend}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-wf-bench-'));
  await adminQuery(`DROP DATABASE IF EXISTS ${dbName}`);
  await adminQuery(`CREATE DATABASE ${dbName}`);
  let ctx;
  try {
    ctx = { ...(await boot(backend, dbName, dataDir)), dataDir };
    const rollupEnterprises = Math.ceil(ROLLUP_WORKERS / WORKERS_PER_ENTERPRISE);
    const orgs = await organisations(ctx.app, 2 * (RUNS + 1));
    // (a) warm-up run on a small batch, then RUNS measured runs
    const ingest = [];
    for (let r = 0; r <= RUNS; r++) {
      const res = await ingestRun(ctx, orgs, r);
      if (r > 0) ingest.push(res);
      process.stdout.write(
        `  [${backend}] ingest run ${r === 0 ? 'warm-up' : r}: api ${fmt(res.apiRowsPerSec)} rows/s, COPY ${fmt(res.copyRowsPerSec)} rows/s\n`,
      );
    }
    // (b)
    const rollupOrgs = await organisations(ctx.app, 0);
    const { DataSource } = require('typeorm');
    const ds = ctx.app.get(DataSource);
    const ents = [];
    const [root] = await ds.query(`SELECT id, path FROM org_unit WHERE id = $1`, [rollupOrgs.park]);
    for (let i = 0; i < rollupEnterprises; i++) {
      const id = randomUUID();
      await ds.query(
        `INSERT INTO org_unit (id, kind, code, name, parent_id, path) VALUES ($1, 'enterprise', $2, $3, $4, $5)`,
        [id, `R${randomBytes(6).toString('hex')}`, `Rollup ${i}`, root.id, `${root.path}${id}/`],
      );
      await ds.query(
        `INSERT INTO enterprise (org_unit_id, industrial_park_id, tax_code, ownership) VALUES ($1, $2, $3, 'domestic')`,
        [id, root.id, `48${String(i).padStart(8, '0')}`],
      );
      ents.push(id);
    }
    const weeks = await rollupData(ds, ents);
    const rollup = [];
    for (let r = 0; r <= RUNS; r++) {
      const res = await rollupRun(ctx, ds, ents, weeks);
      if (r > 0) rollup.push(res);
      process.stdout.write(
        `  [${backend}] rollup run ${r === 0 ? 'warm-up' : r}: queued ${(res.queuedMs / 1000).toFixed(2)} s, set-based ${(res.setMs / 1000).toFixed(2)} s, plain aggregate ${(res.aggMs / 1000).toFixed(2)} s\n`,
      );
    }
    return { backend, ingest, rollup, rollupEnterprises };
  } finally {
    await ctx?.app.close().catch(() => undefined);
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const rollupSessions = Math.ceil(ROLLUP_WORKERS / WORKERS_PER_ENTERPRISE) * WORKERS_PER_ENTERPRISE * 5;
  process.stdout.write(
    `Workforce benchmarks — ingest ${fmt(ROWS)} rows (HTTP reports of ${BATCH}, ${IN_FLIGHT} in flight), ` +
      `rollup ${fmt(ROLLUP_WORKERS)} workers / ${fmt(rollupSessions)} sessions, ${RUNS} run(s) + warm-up, backends: ${BACKENDS.join(', ')}\n`,
  );
  const results = [];
  for (const b of BACKENDS) results.push(await backendSuite(b));
  process.stdout.write('\n');
  for (const r of results) {
    const api = median(r.ingest.map((x) => x.apiRowsPerSec));
    const accept = median(r.ingest.map((x) => x.acceptRowsPerSec));
    const copy = median(r.ingest.map((x) => x.copyRowsPerSec));
    const q = median(r.rollup.map((x) => x.queuedMs));
    const s = median(r.rollup.map((x) => x.setMs));
    const a = median(r.rollup.map((x) => x.aggMs));
    process.stdout.write(
      `[${r.backend}] (a) ingest until rolled up: ${fmt(api)} rows/s vs COPY ${fmt(copy)} rows/s → ratio ${(api / copy).toFixed(3)} ` +
        `(202 accepted at ${fmt(accept)} rows/s)\n` +
        `[${r.backend}] (b) rollup ${fmt(ROLLUP_WORKERS)} workers: queued jobs ${(q / 1000).toFixed(2)} s (ratio ${(q / a).toFixed(2)}), ` +
        `set-based ${(s / 1000).toFixed(2)} s (ratio ${(s / a).toFixed(2)}) vs plain aggregate ${(a / 1000).toFixed(2)} s\n`,
    );
  }
  process.stdout.write(
    '\nratios: (a) api ÷ COPY rows/s (higher is better; goal ≥ 0.5), (b) rollup ÷ aggregate seconds (lower is better; goal ≤ 1.5); medians.\n',
  );
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
