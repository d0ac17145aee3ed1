/**
 * The benchmark suite (`npm run bench`, which builds first): every benchmark in bench/, each against
 * its baseline measured in the same run on the same machine (RELIABILITY.md §2), then a table and
 * bench/results/latest.json (`[{name, unit, value, baseline, ratio, p50, p99, rssMb, runs, …}]`).
 *
 *   node bench/run.js [--quick] [--only catalogue,progress,ingest,rollup,kpis,startup] [--runs N] [--out FILE]
 *
 * --quick   a smaller version for CI smoke (under two minutes on a 2-core machine): shorter runs,
 *           10,000-row reports, 10,000-worker rollup, the small demo province in a scratch database.
 * --only    a subset (comma-separated); partial and quick runs write bench/results/<quick|partial>.json
 *           instead of latest.json unless --out says otherwise.
 * --runs    measured runs per benchmark (default 5, at least 5 for the figures in README).
 * See bench/README.md for each benchmark and the environment variables.
 */
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { DIST, fmt, machine, round } = require('./lib/common');

const SUITES = [
  { keys: ['catalogue'], file: './catalogue.bench' },
  { keys: ['progress'], file: './progress.bench' },
  { keys: ['ingest', 'rollup'], file: './workforce.bench' },
  { keys: ['kpis'], file: './kpis.bench' },
  { keys: ['startup'], file: './startup.bench' },
];
const ALL = SUITES.flatMap((s) => s.keys);

function parse(argv) {
  const opts = { quick: false, only: new Set(ALL), runs: 5, out: null, partial: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--only') {
      const keys = String(argv[++i] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = keys.filter((k) => !ALL.includes(k));
      if (unknown.length) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${ALL.join(', ')}`);
      opts.only = new Set(keys);
      opts.partial = keys.length < ALL.length;
    } else if (a === '--runs') opts.runs = Math.max(1, Math.min(20, Number.parseInt(argv[++i], 10) || 5));
    else if (a === '--out') opts.out = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

function table(entries) {
  const cols = [
    ['benchmark', (e) => e.name],
    ['median', (e) => `${fmt(e.value, e.unit === 'ms' ? 0 : 0)} ${e.unit}`],
    ['min–max', (e) => `${fmt(e.min)}–${fmt(e.max)}`],
    ['baseline', (e) => (e.baseline == null ? '—' : `${fmt(e.baseline)} ${e.unit}`)],
    ['ratio', (e) => (e.ratio == null ? '—' : `${e.ratio.toFixed(3)}×`)],
    ['p50', (e) => (e.p50 == null ? '—' : `${fmt(e.p50, 1)} ms`)],
    ['p99', (e) => (e.p99 == null ? '—' : `${fmt(e.p99, 1)} ms`)],
    ['peak RSS', (e) => (e.rssMb == null ? '—' : `${fmt(e.rssMb)} MB`)],
    ['runs', (e) => String(e.runs)],
    ['target', (e) => (e.target ? `${e.pass ? 'MET' : 'SHORT'}: ${e.target}` : '')],
    ['load 1m', (e) => String(e.loadavg[0])],
  ];
  const cells = entries.map((e) => cols.map(([, f]) => f(e)));
  const widths = cols.map(([h], i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(cols.map(([h]) => h)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main(argv) {
  const opts = parse(argv);
  if (!existsSync(join(DIST, 'apps/api/src/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const started = Date.now();
  const m = machine();
  const log = (s) => process.stdout.write(`${s}\n`);
  log(
    `Hocso benchmarks${opts.quick ? ' (--quick)' : ''}: ${[...opts.only].join(', ')}; ${opts.runs} runs each; ` +
      `${m.cpus} cores (${m.cpuModel}), ${m.memGb} GB, Node ${m.node}, PostgreSQL ${m.postgres}; load ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
  );
  const entries = [];
  const failures = [];
  for (const suite of SUITES) {
    const wanted = suite.keys.filter((k) => opts.only.has(k));
    if (wanted.length === 0) continue;
    const t0 = Date.now();
    try {
      const mod = require(suite.file);
      const out = await mod.run({ ...opts, only: new Set(wanted), log });
      entries.push(...out);
      log(`  (${wanted.join(', ')}: ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    } catch (err) {
      failures.push(`${wanted.join(', ')}: ${err instanceof Error ? err.stack : err}`);
      log(`  ${wanted.join(', ')} FAILED: ${err instanceof Error ? err.message : err}\n`);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  log(table(entries));
  log(
    '\nratio = value ÷ baseline of the same run (req/s, rows/s: higher is better; ms, MB: lower is better); ' +
      `medians of ${opts.runs} runs; load = 1-minute load average when the entry finished. Total ${seconds.toFixed(0)} s.`,
  );
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const out = opts.out ?? join(dir, opts.quick ? 'quick.json' : opts.partial ? 'partial.json' : 'latest.json');
  writeFileSync(out, `${JSON.stringify(entries, null, 2)}\n`);
  writeFileSync(
    out.replace(/\.json$/, '.machine.json'),
    `${JSON.stringify({ ...m, quick: opts.quick, only: [...opts.only], runs: opts.runs, seconds: round(seconds, 0), finishedAt: new Date().toISOString(), loadavg: os.loadavg() }, null, 2)}\n`,
  );
  log(`written ${out}`);
  if (failures.length) {
    process.stderr.write(`\n${failures.join('\n\n')}\n`);
    process.exitCode = 1;
  }
}

function cli(argv) {
  main(argv)
    .catch((err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
      process.exitCode = 1;
    })
    .finally(() => {
      // pools and queue connections of the in-process benchmarks must not keep the runner alive
      setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
    });
}

module.exports = { cli };

if (require.main === module) cli(process.argv.slice(2));
