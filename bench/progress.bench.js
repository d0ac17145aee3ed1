/**
 * Progress-event ingest benchmark (`npm run bench:progress`, which builds first).
 *
 * A child process boots the real api (dist/, same factory as main.ts) on a scratch PostgreSQL
 * database, imports a small course, and enrols BENCH_USERS learners. This process then sends
 * batches of 100 progress events (a lesson start and 99 heartbeats, time crediting included) with
 * autocannon over loopback, and — in the same run, interleaved — writes the same number of rows into
 * the same progress_event table with bare multi-row INSERTs of 100 rows at the same concurrency.
 * It prints events/s and p99 per batch for both (medians of the runs) and the ratio.
 *
 * BENCH_PG_URL (admin URL of the server to create the scratch database on; default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_DURATION (s per run, default 5),
 * BENCH_RUNS (default 3), BENCH_CONNECTIONS (default 10), BENCH_USERS (default 40).
 */
const { fork } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const BATCH = 100;
const int = (name, fallback, max) => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v > 0 ? Math.min(v, max) : fallback;
};
const DURATION = int('BENCH_DURATION', 5, 60);
const RUNS = int('BENCH_RUNS', 3, 10);
const CONNECTIONS = int('BENCH_CONNECTIONS', 10, 64);
const USERS = int('BENCH_USERS', 40, 500);
const ADMIN_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

function withDb(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

// ------------------------------------------------------------------------------------------------
// Child: the api under test, with enrolled learners.
// ------------------------------------------------------------------------------------------------
async function serve(databaseUrl) {
  require('reflect-metadata');
  const dist = join(ROOT, 'dist');
  const { loadConfig } = require(join(dist, 'libs/config/src'));
  const { CourseImportService } = require(join(dist, 'libs/courses/src'));
  const { EnrollmentsService } = require(join(dist, 'libs/learning/src'));
  const { PasswordService, UserEntity } = require(join(dist, 'libs/identity/src'));
  const { createApiApp } = require(join(dist, 'apps/api/src/create-api-app'));
  const { DataSource } = require('typeorm');

  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-bench-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    RUN_WORKER: 'false',
    HOST: '127.0.0.1',
    DB_POOL_SIZE: '20',
  });
  const app = await createApiApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  await app.get(CourseImportService).importDirectory(join(ROOT, 'test/fixtures/learning-content'));
  const ds = app.get(DataSource);
  const hash = await app.get(PasswordService).hash('Mật khẩu đo hiệu năng');
  const learners = [];
  for (let i = 0; i < USERS; i++) {
    const email = `bench${i}@hocso.invalid`;
    const user = await ds.getRepository(UserEntity).save({
      email,
      passwordHash: hash,
      fullName: `Học viên ${i}`,
      roles: ['learner'],
      status: 'active',
      locale: 'vi',
    });
    const { enrollment } = await app.get(EnrollmentsService).enrollUser(user.id, 'hoc-thu-tien-do', 'self', null);
    // Thirty days of room before "now" for event times.
    await ds.query(`UPDATE enrollment SET enrolled_at = now() - interval '30 days' WHERE id = $1`, [enrollment.id]);
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { identifier: email, password: 'Mật khẩu đo hiệu năng' },
    });
    learners.push({ userId: user.id, enrollmentId: enrollment.id, token: JSON.parse(login.body).accessToken });
  }
  const [{ id: lessonId }] = await ds.query(
    `SELECT l.id FROM course_lesson l JOIN course c ON c.latest_version_id = l.version_id WHERE c.slug = 'hoc-thu-tien-do' ORDER BY l.position LIMIT 1`,
  );
  process.send({ ready: true, apiUrl: `http://127.0.0.1:${app.getHttpServer().address().port}`, learners, lessonId });
  process.on('message', async (m) => {
    if (m === 'stop') {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
}

// ------------------------------------------------------------------------------------------------
// Parent: load, baseline, report.
// ------------------------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function apiRun(env, cursors) {
  const autocannon = require('autocannon');
  let n = 0;
  const result = await autocannon({
    url: env.apiUrl,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        path: '/v1/progress-events',
        setupRequest: (req) => {
          const i = n++ % env.learners.length;
          const learner = env.learners[i];
          const events = [];
          for (let k = 0; k < BATCH; k++) {
            cursors[i] += 10_000;
            events.push({
              eventId: randomUUID(),
              type: k === 0 ? 'lesson_started' : 'heartbeat',
              courseSlug: 'hoc-thu-tien-do',
              lessonId: env.lessonId,
              occurredAt: new Date(cursors[i]).toISOString(),
              ...(k === 0 ? {} : { seconds: 10 }),
            });
          }
          req.headers = { 'content-type': 'application/json', authorization: `Bearer ${learner.token}` };
          req.body = JSON.stringify({ events });
          return req;
        },
      },
    ],
  });
  if (result.non2xx || result.errors) throw new Error(`api run: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { eventsPerSecond: result.requests.average * BATCH, p99: result.latency.p99, batches: result.requests.total };
}

async function baselineRun(databaseUrl, env, batches) {
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: databaseUrl, max: CONNECTIONS });
  const latencies = [];
  let next = 0;
  const started = process.hrtime.bigint();
  let cursor = Date.now() - 29 * 86_400_000;
  async function lane() {
    for (;;) {
      const b = next++;
      if (b >= batches) return;
      const learner = env.learners[b % env.learners.length];
      const values = [];
      const params = [];
      for (let k = 0; k < BATCH; k++) {
        cursor += 10;
        const p = params.length;
        params.push(
          learner.userId,
          randomUUID(),
          learner.enrollmentId,
          k === 0 ? 'lesson_started' : 'heartbeat',
          env.lessonId,
          new Date(cursor),
          k === 0 ? null : 10,
        );
        values.push(`($${p + 1},$${p + 2},$${p + 3},$${p + 4},$${p + 5},$${p + 6},$${p + 7})`);
      }
      const t0 = process.hrtime.bigint();
      await pool.query(
        `INSERT INTO progress_event (user_id, event_id, enrollment_id, type, lesson_id, occurred_at, seconds) VALUES ${values.join(',')}`,
        params,
      );
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { eventsPerSecond: (batches * BATCH) / seconds, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

async function main() {
  if (process.argv[2] === '--serve') return serve(process.argv[3]);
  const { Client } = require('pg');
  const dbName = `hocso_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const databaseUrl = withDb(ADMIN_URL, dbName);
  const child = fork(__filename, ['--serve', databaseUrl], { stdio: 'inherit' });
  try {
    const env = await new Promise((res, rej) => {
      child.once('message', res);
      child.once('exit', (code) => rej(new Error(`server exited ${code}`)));
    });
    const cursors = env.learners.map(() => Date.now() - 29 * 86_400_000);
    console.log(
      `progress ingest: ${USERS} learners, ${CONNECTIONS} connections, batches of ${BATCH}, ${RUNS} × ${DURATION} s`,
    );
    await apiRun({ ...env }, cursors); // warm-up
    const api = [];
    const base = [];
    for (let r = 0; r < RUNS; r++) {
      const a = await apiRun(env, cursors);
      api.push(a);
      base.push(await baselineRun(databaseUrl, env, a.batches));
      console.log(
        `run ${r + 1}: api ${a.eventsPerSecond.toFixed(0)} events/s p99 ${a.p99} ms | INSERT ${base[r].eventsPerSecond.toFixed(0)} rows/s p99 ${base[r].p99.toFixed(1)} ms`,
      );
    }
    const apiRate = median(api.map((x) => x.eventsPerSecond));
    const baseRate = median(base.map((x) => x.eventsPerSecond));
    console.log('');
    console.log(
      `median api:      ${apiRate.toFixed(0)} events/s, p99 ${median(api.map((x) => x.p99))} ms per 100-event batch`,
    );
    console.log(
      `median baseline: ${baseRate.toFixed(0)} rows/s, p99 ${median(base.map((x) => x.p99)).toFixed(1)} ms per 100-row INSERT`,
    );
    console.log(`ratio (api ÷ multi-row INSERT): ${(apiRate / baseRate).toFixed(2)}`);
  } finally {
    child.send('stop');
    await new Promise((r) => child.once('exit', r));
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
