/**
 * Shared helpers of the benchmarks (bench/run.js and the *.bench.js modules): statistics, scratch
 * databases, child-process servers, autocannon runs, resident-memory sampling, result entries.
 */
const { fork } = require('node:child_process');
const { readFileSync } = require('node:fs');
const os = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist');
const ADMIN_URL = process.env.BENCH_PG_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const int = (name, fallback, max = Number.MAX_SAFE_INTEGER, min = 1) => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v >= min ? Math.min(v, max) : fallback;
};

const median = (xs) => {
  const s = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Nearest-rank percentile of unsorted samples. */
const percentile = (xs, p) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const elapsedMs = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const fmt = (n, digits = 0) =>
  n == null ? '—' : Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const round = (n, digits = 2) => (n == null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

function withDb(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function adminQuery(sql, params) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** A fresh database on the PostgreSQL server of ADMIN_URL; `drop()` removes it. */
async function scratchDb(prefix) {
  const name = `hocso_bench_${prefix}_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return { name, url: withDb(ADMIN_URL, name), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Resident set size of a process in MB (now, or the peak since it started: VmHWM). */
function rssMb(pid, field = 'VmRSS') {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stop(); returns the peak in MB. */
function rssSampler(pid, everyMs = 100) {
  let peak = rssMb(pid) ?? 0;
  const timer = setInterval(() => {
    const v = rssMb(pid);
    if (v != null && v > peak) peak = v;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const v = rssMb(pid);
      return v != null && v > peak ? v : peak;
    },
  };
}

/**
 * Forks `file --serve ...args` and waits for its first message (`{ready: true, ...}`); the child
 * answers `{id, ...}` requests and exits on 'stop'. Returns { child, info, ask, stop }.
 */
async function forkServer(file, args = [], { env, readyMs = 300_000, execArgv = [] } = {}) {
  const child = fork(file, ['--serve', ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
    execArgv: [
      ...execArgv,
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const info = await new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${file}: server not ready within ${readyMs / 1000} s`));
    }, readyMs);
    child.once('message', (m) => {
      clearTimeout(timer);
      ok(m);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${file}: server process exited (${code}) before it was ready`));
    });
  });
  const ask = (m) =>
    new Promise((ok) => {
      child.once('message', ok);
      child.send(m);
    });
  const stop = () =>
    new Promise((ok) => {
      if (child.exitCode != null || child.signalCode != null) return ok();
      const t = setTimeout(kill, 30_000);
      child.once('exit', () => {
        clearTimeout(t);
        process.removeListener('exit', kill);
        ok();
      });
      child.send('stop');
    });
  return { child, info, ask, stop };
}

/** One autocannon run; throws on errors, timeouts or non-2xx answers. */
async function cannon(opts) {
  const autocannon = require('autocannon');
  const r = await autocannon({ pipelining: 1, ...opts });
  if (r.errors || r.timeouts || r.non2xx) {
    throw new Error(`${opts.url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx responses`);
  }
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total };
}

/** The machine and the software the figures come from (figures are only comparable within a run). */
function machine() {
  let pg = null;
  try {
    pg = require('node:child_process')
      .execFileSync('psql', [ADMIN_URL, '-tAc', 'SHOW server_version'], { encoding: 'utf8' })
      .trim();
  } catch {
    pg = null;
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    postgres: pg,
    platform: `${os.type()} ${os.release()}`,
  };
}

/**
 * A result entry of bench/results/latest.json. `samples`/`baselineSamples` are the per-run values;
 * `value`/`baseline` their medians; `ratio` = value ÷ baseline; `target` says which way is good.
 */
function entry({ name, unit, samples, baselineSamples = [], p50 = null, p99 = null, rssMb = null, target, extra }) {
  const value = median(samples);
  const baseline = baselineSamples.length ? median(baselineSamples) : null;
  const ratio = value != null && baseline ? value / baseline : null;
  let pass = null;
  if (target) {
    const checks = [];
    if (target.ratioMin != null) checks.push(ratio != null && ratio >= target.ratioMin);
    if (target.ratioMax != null) checks.push(ratio != null && ratio <= target.ratioMax);
    if (target.valueMax != null) checks.push(value != null && value <= target.valueMax);
    if (target.p99Max != null) checks.push(p99 != null && p99 <= target.p99Max);
    if (target.rssMax != null) checks.push(rssMb != null && rssMb <= target.rssMax);
    pass = checks.every(Boolean);
  }
  return {
    name,
    unit,
    value: round(value, 2),
    baseline: round(baseline, 2),
    ratio: round(ratio, 3),
    p50: round(p50, 2),
    p99: round(p99, 2),
    rssMb: round(rssMb, 1),
    runs: samples.length,
    min: round(Math.min(...samples), 2),
    max: round(Math.max(...samples), 2),
    baselineMin: baselineSamples.length ? round(Math.min(...baselineSamples), 2) : null,
    baselineMax: baselineSamples.length ? round(Math.max(...baselineSamples), 2) : null,
    samples: samples.map((x) => round(x, 2)),
    baselineSamples: baselineSamples.map((x) => round(x, 2)),
    target: target ? target.text : null,
    pass,
    loadavg: os.loadavg().map((x) => round(x, 2)),
    at: new Date().toISOString(),
    ...(extra ?? {}),
  };
}

module.exports = {
  ROOT,
  DIST,
  ADMIN_URL,
  REDIS_URL,
  int,
  median,
  percentile,
  sleep,
  elapsedMs,
  fmt,
  round,
  withDb,
  adminQuery,
  scratchDb,
  rssMb,
  rssSampler,
  forkServer,
  cannon,
  machine,
  entry,
};
