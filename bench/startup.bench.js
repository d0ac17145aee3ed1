/**
 * Embedded mode (RELIABILITY.md §2 B15): `node bench/run.js --only startup`.
 *
 * What `npm start` runs after a build — `node dist/apps/api/src/main.js` with no DATABASE_URL and no
 * REDIS_URL (PGlite in DATA_DIR, BullMQ's PostgreSQL backend, worker in-process, default settings) —
 * timed from spawn until GET /health/ready answers 200:
 *   - first start: an empty DATA_DIR (creates the database, runs the migrations, imports content/);
 *   - restart: the same DATA_DIR again;
 * against a bare Fastify process (bench/lib/bare-server.js) started and polled the same way.
 * Then the catalogue search load (50 connections) against the embedded api and against the bare
 * process answering the same bytes: peak resident memory (VmRSS sampled every 100 ms) of each.
 */
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startProcess } = require('./lib/bare');
const { DIST, cannon, entry, median, rssMb, rssSampler } = require('./lib/common');

const SEARCH = '/v1/courses?q=dich%20vu%20cong';

const start = (args, env) => startProcess(args, env);

/** opts: { quick, runs, duration, connections, log }. Returns result entries. */
async function run(opts) {
  const { log } = opts;
  const runs = opts.quick ? Math.min(opts.runs, 2) : opts.runs;
  const duration = opts.duration ?? (opts.quick ? 1 : 5);
  const connections = opts.connections ?? 50;
  const main = join(DIST, 'apps/api/src/main.js');
  const bare = join(__dirname, 'lib/bare-server.js');
  const dirs = [];
  const first = [];
  const again = [];
  const baseline = [];
  let last = null;
  try {
    for (let r = 0; r < runs; r++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'hocso-start-'));
      dirs.push(dataDir);
      const a = await start([main], { DATA_DIR: dataDir });
      first.push(a.ms);
      await a.stop();
      const b = await start([main], { DATA_DIR: dataDir });
      again.push(b.ms);
      const c = await start([bare], {});
      baseline.push(c.ms);
      await c.stop();
      log(
        `  run ${r + 1}: first start ${Math.round(a.ms)} ms, restart ${Math.round(b.ms)} ms, bare Fastify ${Math.round(c.ms)} ms`,
      );
      if (r < runs - 1) await b.stop();
      else last = b;
    }
    // Memory under the catalogue load: the embedded api, then a bare process answering the same bytes.
    const apiUrl = `http://127.0.0.1:${last.port}`;
    const res = await fetch(apiUrl + SEARCH);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${SEARCH}: ${res.status} ${body}`);
    const bodiesFile = join(dirs[0], 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify({ [SEARCH]: { body, type: res.headers.get('content-type') } }));
    const idleRss = rssMb(last.pid);
    await cannon({ url: apiUrl + SEARCH, duration: 1, connections });
    const apiRss = [];
    const apiRps = [];
    const apiP99 = [];
    for (let r = 0; r < runs; r++) {
      const s = rssSampler(last.pid);
      const x = await cannon({ url: apiUrl + SEARCH, duration, connections });
      apiRss.push(s.stop());
      apiRps.push(x.rps);
      apiP99.push(x.p99);
    }
    await last.stop();
    last = null;
    const b = await start([bare], { BENCH_BODIES: bodiesFile });
    const baseRss = [];
    const baseRps = [];
    await cannon({ url: `http://127.0.0.1:${b.port}${SEARCH}`, duration: 1, connections });
    for (let r = 0; r < runs; r++) {
      const s = rssSampler(b.pid);
      const x = await cannon({ url: `http://127.0.0.1:${b.port}${SEARCH}`, duration, connections });
      baseRss.push(s.stop());
      baseRps.push(x.rps);
    }
    await b.stop();
    log(
      `  embedded api under catalogue load: peak RSS ${Math.round(median(apiRss))} MB (idle ${Math.round(idleRss)} MB), ` +
        `${Math.round(median(apiRps))} req/s p99 ${median(apiP99)} ms | bare Fastify ${Math.round(median(baseRss))} MB, ${Math.round(median(baseRps))} req/s`,
    );
    return [
      entry({
        name: 'embedded start-up (npm start after a build, empty DATA_DIR) to ready',
        unit: 'ms',
        samples: first,
        baselineSamples: baseline,
        target: { valueMax: 10_000, text: '≤ 10 s to ready' },
        extra: { baselineNote: 'bare Fastify process spawned and polled the same way' },
      }),
      entry({
        name: 'embedded restart (existing DATA_DIR) to ready',
        unit: 'ms',
        samples: again,
        baselineSamples: baseline,
        target: { valueMax: 10_000, text: '≤ 10 s to ready' },
      }),
      entry({
        name: `embedded api peak RSS under catalogue search load (${connections} conn)`,
        unit: 'MB',
        samples: apiRss,
        baselineSamples: baseRss,
        p99: median(apiP99),
        rssMb: Math.max(...apiRss),
        target: { rssMax: 250, text: '≤ 250 MB' },
        extra: {
          idleRssMb: idleRss,
          apiRps: median(apiRps),
          baselineRps: median(baseRps),
          rpsRatio: median(apiRps) / median(baseRps),
        },
      }),
    ];
  } finally {
    if (last) await last.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

module.exports = { run, name: 'startup' };

if (require.main === module) {
  require('./run').cli(['--only', 'startup', ...process.argv.slice(2)]);
}
