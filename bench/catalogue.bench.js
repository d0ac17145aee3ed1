/**
 * Catalogue reads (RELIABILITY.md §2 B2): `node bench/run.js --only catalogue` (or `npm run bench:catalogue`).
 *
 * A child process boots the real api (the built dist/, same factory as main.ts, production settings,
 * logging off, no in-process worker) on a scratch PostgreSQL database — or on the embedded PGlite
 * defaults with BENCH_CATALOGUE_DB=embedded — and imports content/; a second process (bench/lib/bare-server.js)
 * is a bare Fastify handler answering each benchmarked URL with the very same bytes (and Content-Type). The parent
 * drives both with autocannon over loopback, interleaved, target by target, and samples the child's
 * resident memory during the api runs.
 */
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { ROOT, DIST, cannon, entry, forkServer, median, rssSampler, scratchDb } = require('./lib/common');
const { startBare } = require('./lib/bare');

const TARGETS = [
  { key: 'search', name: 'catalogue search GET /v1/courses?q=', path: '/v1/courses?q=dich%20vu%20cong' },
  {
    key: 'search-accents',
    name: 'catalogue search (accents, caps)',
    path: `/v1/courses?q=${encodeURIComponent('DỊCH VỤ CÔNG')}`,
  },
  { key: 'outline', name: 'course outline GET /v1/courses/:slug', path: '/v1/courses/dich-vu-cong-truc-tuyen' },
];

// ---------------------------------------------------------------------------------------------
// Child: the servers under test.
// ---------------------------------------------------------------------------------------------
async function serve(databaseUrl) {
  require('reflect-metadata');
  const { loadConfig } = require(join(DIST, 'libs/config/src'));
  const { stopEmbeddedPostgres } = require(join(DIST, 'libs/database/src'));
  const { CourseImportService } = require(join(DIST, 'libs/courses/src'));
  const { createApiApp } = require(join(DIST, 'apps/api/src/create-api-app'));

  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-bench-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl || undefined,
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
  const started = Date.now();
  const app = await createApiApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const report = await app.get(CourseImportService).importDirectory(join(ROOT, 'content'));
  const apiUrl = `http://127.0.0.1:${app.getHttpServer().address().port}`;

  // The baseline's bodies: the very bytes (and Content-Type) the api answers each target with.
  const bodies = {};
  const bytes = {};
  for (const target of TARGETS) {
    const res = await app.inject({ method: 'GET', url: target.path });
    if (res.statusCode !== 200) throw new Error(`${target.path}: ${res.statusCode} ${res.body}`);
    bodies[target.path] = { body: res.body, type: res.headers['content-type'] };
    bytes[target.key] = Buffer.byteLength(res.body);
  }
  const bodiesFile = join(dataDir, 'bodies.json');
  writeFileSync(bodiesFile, JSON.stringify(bodies));

  process.send({
    ready: true,
    apiUrl,
    bodiesFile,
    bytes,
    database: config.db.url ? 'PostgreSQL' : 'embedded PGlite',
    bootAndImportMs: Date.now() - started,
    imported: report.counts,
  });
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    await app.close();
    await stopEmbeddedPostgres();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------
// Parent: the load generator.
// ---------------------------------------------------------------------------------------------
/**
 * opts: { quick, runs, duration (s per run), connections, log }. Returns result entries.
 */
async function run(opts) {
  const { runs, log } = opts;
  const duration = opts.duration ?? (opts.quick ? 1 : 5);
  const connections = opts.connections ?? 50;
  const targets = opts.quick ? TARGETS.slice(0, 1) : TARGETS;
  const embedded = process.env.BENCH_CATALOGUE_DB === 'embedded';
  const db = embedded ? null : await scratchDb('catalogue');
  const server = await forkServer(__filename, db ? [db.url] : []);
  const { info } = server;
  // The baseline: a bare Fastify process — no validation, no database, no auth — a map lookup and the same bytes.
  const bare = await startBare(info.bodiesFile).catch(async (err) => {
    await server.stop();
    throw err;
  });
  info.baselineUrl = bare.url;
  try {
    log(
      `catalogue: ${info.database}; api booted and imported the library in ${info.bootAndImportMs} ms; ` +
        `${runs} runs × ${duration} s per target and server, ${connections} connections`,
    );
    const results = targets.map(() => ({ api: [], base: [], rss: 0 }));
    for (const t of targets) {
      await cannon({ url: info.apiUrl + t.path, duration: 1, connections });
      await cannon({ url: info.baselineUrl + t.path, duration: 1, connections });
    }
    for (let r = 0; r < runs; r++) {
      for (const [i, t] of targets.entries()) {
        const rss = rssSampler(server.child.pid);
        const bareRss = rssSampler(bare.pid);
        results[i].api.push(await cannon({ url: info.apiUrl + t.path, duration, connections }));
        results[i].rss = Math.max(results[i].rss, rss.stop());
        results[i].base.push(await cannon({ url: info.baselineUrl + t.path, duration, connections }));
        results[i].bareRss = Math.max(results[i].bareRss ?? 0, bareRss.stop());
        log(
          `  run ${r + 1} ${t.key}: api ${Math.round(results[i].api.at(-1).rps)} req/s p99 ${results[i].api.at(-1).p99} ms` +
            ` | bare ${Math.round(results[i].base.at(-1).rps)} req/s p99 ${results[i].base.at(-1).p99} ms`,
        );
      }
    }
    return targets.map((t, i) =>
      entry({
        name: `${t.name} (${info.database}, ${connections} conn)`,
        unit: 'req/s',
        samples: results[i].api.map((x) => x.rps),
        baselineSamples: results[i].base.map((x) => x.rps),
        p50: median(results[i].api.map((x) => x.p50)),
        p99: median(results[i].api.map((x) => x.p99)),
        rssMb: results[i].rss,
        target:
          t.key === 'search'
            ? { ratioMin: 0.5, p99Max: 25, rssMax: 250, text: '≥ 0.5 × bare Fastify req/s, p99 ≤ 25 ms, RSS ≤ 250 MB' }
            : undefined,
        extra: {
          bytes: info.bytes[t.key],
          baselineP99: median(results[i].base.map((x) => x.p99)),
          baselineRssMb: results[i].bareRss,
          connections,
          durationS: duration,
        },
      }),
    );
  } finally {
    await bare.stop();
    await server.stop();
    await db?.drop();
  }
}

module.exports = { run, name: 'catalogue' };

if (process.argv[2] === '--serve') {
  serve(process.argv[3]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (require.main === module) {
  require('./run').cli(['--only', 'catalogue', ...process.argv.slice(2)]);
}
