/**
 * Progress events (RELIABILITY.md §2 B10): `node bench/run.js --only progress` (or `npm run bench:progress`).
 *
 * A child process boots the real api (dist/, same factory as main.ts) on a scratch PostgreSQL
 * database, imports a small course, and enrols BENCH_USERS learners (default 40). The parent sends
 * batches of 100 progress events (a lesson start and 99 heartbeats, time crediting included) with
 * autocannon over loopback, and — in the same run, interleaved — writes the same number of rows
 * into the same progress_event table with bare multi-row INSERTs of 100 rows at the same
 * concurrency. Reports events/s and p99 per batch for both, and the ratio.
 */
const { randomBytes, randomUUID } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { REDIS_URL, ROOT, entry, forkServer, int, median, percentile, rssSampler, scratchDb } = require('./lib/common');

const BATCH = 100;
const USERS = int('BENCH_USERS', 40, 500);
let DURATION = 5;
let CONNECTIONS = 10;

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
    // production's queue: the job a credited batch adds goes to Redis (own key prefix)
    REDIS_URL,
    REDIS_PREFIX: `hocso-bench-${randomBytes(4).toString('hex')}`,
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
  return {
    eventsPerSecond: result.requests.average * BATCH,
    p50: result.latency.p50,
    p99: result.latency.p99,
    batches: result.requests.total,
  };
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
  return { eventsPerSecond: (batches * BATCH) / seconds, p99: percentile(latencies, 99) ?? 0 };
}

/** opts: { quick, runs, duration, connections, log }. Returns result entries. */
async function run(opts) {
  const { runs, log } = opts;
  DURATION = opts.duration ?? (opts.quick ? 2 : 5);
  CONNECTIONS = opts.connections ?? 10;
  const db = await scratchDb('progress');
  const server = await forkServer(__filename, [db.url]);
  try {
    const env = server.info;
    const cursors = env.learners.map(() => Date.now() - 29 * 86_400_000);
    log(
      `progress: ${env.learners.length} learners, ${CONNECTIONS} connections, batches of ${BATCH}, ${runs} × ${DURATION} s`,
    );
    await apiRun(env, cursors); // warm-up
    const api = [];
    const base = [];
    let rss = 0;
    for (let r = 0; r < runs; r++) {
      const sampler = rssSampler(server.child.pid);
      const a = await apiRun(env, cursors);
      rss = Math.max(rss, sampler.stop());
      api.push(a);
      base.push(await baselineRun(db.url, env, a.batches));
      log(
        `  run ${r + 1}: api ${a.eventsPerSecond.toFixed(0)} events/s p99 ${a.p99} ms | INSERT ${base[r].eventsPerSecond.toFixed(0)} rows/s p99 ${base[r].p99.toFixed(1)} ms`,
      );
    }
    return [
      entry({
        name: `progress events, ${BATCH}-event batches (${CONNECTIONS} conn)`,
        unit: 'rows/s',
        samples: api.map((x) => x.eventsPerSecond),
        baselineSamples: base.map((x) => x.eventsPerSecond),
        p50: median(api.map((x) => x.p50)),
        p99: median(api.map((x) => x.p99)),
        rssMb: rss,
        target: { ratioMin: 0.3, p99Max: 50, text: '≥ 0.3 × multi-row INSERT rows/s, p99 ≤ 50 ms per batch' },
        extra: { baselineP99: median(base.map((x) => x.p99)), connections: CONNECTIONS, durationS: DURATION },
      }),
    ];
  } finally {
    await server.stop();
    await db.drop();
  }
}

module.exports = { run, name: 'progress' };

if (process.argv[2] === '--serve') {
  serve(process.argv[3]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (require.main === module) {
  require('./run').cli(['--only', 'progress', ...process.argv.slice(2)]);
}
