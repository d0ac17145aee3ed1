/**
 * Workforce benchmarks (RELIABILITY.md §2 B4, B5, B9): `node bench/run.js --only ingest,rollup`
 * (or `npm run bench:workforce`).
 *
 * The real api boots in this process from dist/ (worker in-process, BullMQ on Redis — or on its
 * PostgreSQL backend with BENCH_WF_BACKENDS=postgres) on a scratch database.
 *
 * ingest  Training-report ingest end to end: one report of BENCH_WF_REPORT_ROWS rows (default
 *         100,000 — the largest report the api takes; --quick 10,000) per run, JSON and CSV, into a
 *         fresh enterprise: from the POST until the report is `done` and its enterprise-week
 *         rollup has run — against `\copy` (psql, CSV) of the same rows into the same
 *         training_session table (same primary key, indexes, foreign keys), in the same run.
 *         Ratio = api rows/s ÷ COPY rows/s.
 * rollup  Weekly rollup of W workers / 5·W sessions (BENCH_WF_ROLLUP_WORKERS, default 200,000; --quick
 *         10,000; 200 workers per enterprise, inserted set-based): the set-based recompute the
 *         weekly close runs (200 enterprises per statement), and one queued job per enterprise-week
 *         as ingests trigger them — against a plain `SELECT … GROUP BY` of the same coverage over the
 *         same rows. Ratio = rollup seconds ÷ aggregate seconds.
 */
const { execFileSync } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { DIST, REDIS_URL, adminQuery, elapsedMs, entry, int, sleep, withDb, ADMIN_URL } = require('./lib/common');

const BACKENDS = (process.env.BENCH_WF_BACKENDS ?? 'redis').split(',').map((s) => s.trim());
const WORKERS_PER_ENTERPRISE = 200;

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
    // the machine's own password-less Redis on loopback (production refuses one otherwise)
    REDIS_ALLOW_INSECURE: 'true',
    CREDENTIAL_KEYS_CREATE: 'true',
    LTI_KEYS_CREATE: 'true',
    // the abuse limits stay in the path (their cost is measured) without stopping the load
    RATE_LIMIT_MULTIPLIER: '1000000',
    CONTENT_IMPORT_ON_START: 'false',
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

async function postCsv(url, path, key, csv, idem) {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'text/csv; charset=utf-8', 'x-api-key': key, 'idempotency-key': idem },
    body: csv,
  });
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A roster of `workers` codes for an enterprise (PUT, 50,000 per request). */
async function roster(ctx, ent, workers) {
  const codes = Array.from({ length: workers }, (_, w) => ({ workerCode: `W${String(w).padStart(7, '0')}` }));
  for (let i = 0; i < codes.length; i += 50_000) {
    await http(ctx.url, 'PUT', `/v1/enterprises/${ent.id}/workers`, ent.key, { workers: codes.slice(i, i + 50_000) });
  }
}

/** One run: a report of `rows` rows (JSON or CSV) into a fresh enterprise, then \copy of the same rows into another. */
async function ingestRun(ctx, orgs, slot, rows, format) {
  const { sessions, workers } = sessionsFor(rows);
  const target = orgs.enterprises[2 * slot];
  const copyTarget = orgs.enterprises[2 * slot + 1];
  await roster(ctx, target, workers);
  await roster(ctx, copyTarget, workers);
  await settled(orgs.ds, []);

  const dmy = (iso) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  const body =
    format === 'csv'
      ? `Mã NV,Ngày,Số phút,Nội dung\n${sessions.map((s) => `${s.workerCode},${dmy(s.date)},${s.minutes},${s.topic}`).join('\n')}\n`
      : { sessions };
  const path = `/v1/enterprises/${target.id}/training-reports`;
  const started = process.hrtime.bigint();
  const r =
    format === 'csv'
      ? await postCsv(ctx.url, path, target.key, body, randomUUID())
      : await http(ctx.url, 'POST', path, target.key, body, randomUUID());
  const acceptedMs = elapsedMs(started);
  await settled(orgs.ds, [r.id]);
  const apiMs = elapsedMs(started);
  const [{ n }] = await orgs.ds.query(`SELECT count(*)::int AS n FROM training_session WHERE enterprise_id = $1`, [
    target.id,
  ]);
  if (n !== sessions.length) throw new Error(`expected ${sessions.length} rows, found ${n}`);

  // Baseline: the same rows as CSV, \copy'd by psql into the same table (same indexes and FK).
  const ids = await orgs.ds.query(`SELECT id, worker_code FROM worker WHERE enterprise_id = $1`, [copyTarget.id]);
  const byCode = new Map(ids.map((w) => [w.worker_code, w.id]));
  const reportId = randomUUID();
  const csv = sessions
    .map(
      (s) =>
        `${copyTarget.id},${byCode.get(s.workerCode)},${s.date},topic:${s.topic},${s.minutes},${s.topic},${reportId}`,
    )
    .join('\n');
  const file = join(ctx.dataDir, `copy-${slot}.csv`);
  writeFileSync(file, `${csv}\n`);
  const copyStarted = process.hrtime.bigint();
  execFileSync('psql', [
    ctx.config.db.url,
    '-q',
    '-c',
    `\\copy training_session (enterprise_id, worker_id, local_date, session_key, minutes, topic, report_id) FROM '${file}' CSV`,
  ]);
  const copyMs = elapsedMs(copyStarted);
  rmSync(file, { force: true });
  return {
    apiRowsPerSec: (sessions.length / apiMs) * 1000,
    apiMs,
    acceptedMs,
    copyRowsPerSec: (sessions.length / copyMs) * 1000,
  };
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

async function rollupEnterprises(ds, park, count) {
  const ents = [];
  const [root] = await ds.query(`SELECT id, path FROM org_unit WHERE id = $1`, [park]);
  const ids = Array.from({ length: count }, () => randomUUID());
  await ds.query(
    `INSERT INTO org_unit (id, kind, code, name, parent_id, path)
     SELECT id, 'enterprise', 'R' || substr(md5(id::text), 1, 12), 'Rollup ' || ord, $2, $3 || id || '/'
     FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, ord)`,
    [ids, root.id, root.path],
  );
  await ds.query(
    `INSERT INTO enterprise (org_unit_id, industrial_park_id, tax_code, ownership)
     SELECT id, $2, '48' || lpad(ord::text, 8, '0'), 'domestic' FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, ord)`,
    [ids, root.id],
  );
  ents.push(...ids);
  return ents;
}

async function backendSuite(backend, opts) {
  const { runs, log, only } = opts;
  const reportRows = int('BENCH_WF_REPORT_ROWS', opts.quick ? 10_000 : 100_000, 100_000, 1000);
  const rollupWorkers = int('BENCH_WF_ROLLUP_WORKERS', opts.quick ? 10_000 : 200_000, 1_000_000, 1000);
  const formats = (process.env.BENCH_WF_FORMATS ?? (opts.quick ? 'csv' : 'csv,json')).split(',');
  const dbName = `hocso_bench_wf_${process.pid}_${backend}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-wf-bench-'));
  await adminQuery(`DROP DATABASE IF EXISTS ${dbName}`);
  await adminQuery(`CREATE DATABASE ${dbName}`);
  const out = [];
  let ctx;
  try {
    ctx = { ...(await boot(backend, dbName, dataDir)), dataDir };
    if (only.has('ingest')) {
      const orgs = await organisations(ctx.app, 2 * formats.length * (runs + 1));
      let slot = 0;
      for (const format of formats) {
        const res = [];
        for (let r = 0; r <= runs; r++) {
          // the warm-up (r = 0) is a small report: JIT, pools, queue connections
          const x = await ingestRun(ctx, orgs, slot++, r === 0 ? Math.min(5000, reportRows) : reportRows, format);
          if (r > 0) res.push(x);
          log(
            `  [${backend} ${format}] ingest ${r === 0 ? 'warm-up' : `run ${r}`}: api ${Math.round(x.apiRowsPerSec)} rows/s ` +
              `(202 after ${Math.round(x.acceptedMs)} ms, rolled up after ${Math.round(x.apiMs)} ms), COPY ${Math.round(x.copyRowsPerSec)} rows/s`,
          );
        }
        const { median } = require('./lib/common');
        out.push(
          entry({
            name: `ingest e2e, ${reportRows.toLocaleString('en-US')}-row ${format.toUpperCase()} report (${backend} queue)`,
            unit: 'rows/s',
            samples: res.map((x) => x.apiRowsPerSec),
            baselineSamples: res.map((x) => x.copyRowsPerSec),
            p50: median(res.map((x) => x.apiMs)),
            p99: Math.max(...res.map((x) => x.apiMs)),
            target: { ratioMin: 0.25, text: '≥ 0.25 × COPY rows/s' },
            extra: {
              latencyNote: 'p50/p99 = POST → rolled-up ms per report (p99 = max of runs)',
              acceptMsMedian: median(res.map((x) => x.acceptedMs)),
              reportRows,
              format,
            },
          }),
        );
      }
    }
    if (only.has('rollup')) {
      const orgs = await organisations(ctx.app, 0);
      const count = Math.ceil(rollupWorkers / WORKERS_PER_ENTERPRISE);
      const ents = await rollupEnterprises(orgs.ds, orgs.park, count);
      const t0 = process.hrtime.bigint();
      const weeks = await rollupData(orgs.ds, ents);
      log(
        `  [${backend}] rollup data: ${count} enterprises, ${(count * WORKERS_PER_ENTERPRISE).toLocaleString('en-US')} workers, ` +
          `${(count * WORKERS_PER_ENTERPRISE * 5).toLocaleString('en-US')} sessions inserted in ${(elapsedMs(t0) / 1000).toFixed(1)} s (weeks ${weeks.join(', ')})`,
      );
      const res = [];
      for (let r = 0; r <= runs; r++) {
        const x = await rollupRun(ctx, orgs.ds, ents, weeks);
        if (r > 0) res.push(x);
        log(
          `  [${backend}] rollup ${r === 0 ? 'warm-up' : `run ${r}`}: set-based ${(x.setMs / 1000).toFixed(2)} s, queued jobs ${(x.queuedMs / 1000).toFixed(2)} s, plain aggregate ${(x.aggMs / 1000).toFixed(2)} s`,
        );
      }
      const label = `${(count * WORKERS_PER_ENTERPRISE).toLocaleString('en-US')} workers / ${(count * WORKERS_PER_ENTERPRISE * 5).toLocaleString('en-US')} sessions`;
      out.push(
        entry({
          name: `weekly rollup, set-based (weekly close), ${label}`,
          unit: 'ms',
          samples: res.map((x) => x.setMs),
          baselineSamples: res.map((x) => x.aggMs),
          target: { ratioMax: 3, text: '≤ 3 × plain aggregate time' },
          extra: { workers: count * WORKERS_PER_ENTERPRISE, sessions: count * WORKERS_PER_ENTERPRISE * 5, weeks },
        }),
        entry({
          name: `weekly rollup, one queued job per enterprise-week (${backend} queue), ${label}`,
          unit: 'ms',
          samples: res.map((x) => x.queuedMs),
          baselineSamples: res.map((x) => x.aggMs),
          extra: { workers: count * WORKERS_PER_ENTERPRISE, sessions: count * WORKERS_PER_ENTERPRISE * 5, weeks },
        }),
      );
    }
    return out;
  } finally {
    await ctx?.app.close().catch(() => undefined);
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** opts: { quick, runs, log, only: Set of 'ingest' | 'rollup' }. Returns result entries. */
async function run(opts) {
  const out = [];
  for (const b of BACKENDS) out.push(...(await backendSuite(b, opts)));
  return out;
}

module.exports = { run, name: 'workforce' };

if (require.main === module) {
  require('./run').cli(['--only', 'ingest,rollup', ...process.argv.slice(2)]);
}
