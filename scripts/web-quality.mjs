/**
 * The portal's quality figures (`npm run web:quality`, which builds first) — issue 10, item 6:
 *
 *   (a) bytes: JS + CSS (+ the HTML shell) gzipped that a first visit to each page needs, from the
 *       built files (dist/web: the entry's static imports, the page chunk's, the CSS), the same
 *       count as apps/web/build.mjs's budget.json — and fails when the catalogue page is over 100 KB;
 *   (b) accessibility: axe-core on every page of the portal, signed in as the role that uses it,
 *       on a running api (violations per impact; serious and critical listed);
 *   (c) performance: Lighthouse (mobile form factor, default simulated throttling) on the catalogue
 *       and a lesson; target ≥ 90.
 *
 * A child process boots the real api from dist/ (same factory as main.ts) on the embedded defaults
 * (PGlite) — or on DATABASE_URL / REDIS_URL when set (point DATABASE_URL at a scratch database: the
 * starter library and a few accounts are written to it) — imports content/ and makes the accounts
 * and records the pages need (a learner, a qualified trainer with a cohort and a held session, an
 * enterprise with its manager, the province admin). Chromium: CHROMIUM_PATH or /usr/bin/chromium.
 *
 * Prints a table and writes test-artifacts/web/quality.json (Lighthouse reports beside it).
 * WEB_QUALITY_SKIP_LIGHTHOUSE=1 leaves (c) out, WEB_QUALITY_SKIP_AXE=1 leaves (b) out; LIGHTHOUSE_PAGES=lesson
 * (or catalogue) measures one page; LIGHTHOUSE_RUNS (default 3, at most 5) runs each page n times
 * and keeps the median score.
 */
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'dist', 'web');
const OUT = join(ROOT, 'test-artifacts', 'web');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const CATALOGUE_BUDGET = 100 * 1024;
const LIGHTHOUSE_TARGET = 90;
const COURSE = 'dich-vu-cong-truc-tuyen';
const PASSWORD = `Chất lượng ${randomBytes(6).toString('hex')}!`;
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// (a) Bytes per page, from the built files
// ---------------------------------------------------------------------------------------------

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** Relative imports that load with the module (import/export … from "./x.js"), not import("…"). */
function staticImports(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(/\b(?:import|export)\s*(?:[^"();]*?\bfrom\s*)?"(\.{1,2}\/[^"]+\.js)"/g)) {
    out.push(join(dirname(file), m[1]));
  }
  return out;
}

function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const dep of staticImports(file)) closure(dep, seen);
  return seen;
}

/** Per route: the files a first visit downloads (shell, CSS, entry and its static imports, page chunk's). */
function pageBytes() {
  const shell = readFileSync(join(WEB, 'index.html'), 'utf8');
  const entry = /<script type="module" src="\/(app\/[^"]+\.js)"/.exec(shell)?.[1];
  const css = /<link rel="stylesheet" href="\/(app\/[^"]+\.css)"/.exec(shell)?.[1];
  if (!entry || !css) throw new Error('dist/web/index.html names no entry script or stylesheet: run the build');
  const entryFile = join(WEB, entry);
  const routes = [
    ...readFileSync(entryFile, 'utf8').matchAll(/path:"([^"]+)",tag:"([^"]+)",load:\(\)=>import\("([^"]+)"\)/g),
  ].map((m) => ({ path: m[1], tag: m[2], chunk: join(dirname(entryFile), m[3]) }));
  if (!routes.length) throw new Error(`no route table found in ${entry} (the routes' shape changed?)`);
  const shellBytes = gzipSync(shell, { level: 9 }).length;
  const base = closure(entryFile);
  const rel = (f) => `/${f.slice(WEB.length + 1)}`;
  return routes.map((r) => {
    const files = new Set([...base, join(WEB, css), ...closure(r.chunk)]);
    const jsCss = [...files].reduce((s, f) => s + gz(f), 0);
    return {
      path: r.path,
      tag: r.tag,
      chunk: rel(r.chunk),
      files: [...files].map(rel),
      gzipBytes: jsCss + shellBytes,
      pageOnlyGzipBytes: [...closure(r.chunk)].filter((f) => !base.has(f)).reduce((s, f) => s + gz(f), 0),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The api under test (child process)
// ---------------------------------------------------------------------------------------------

async function serve() {
  require('reflect-metadata');
  const dist = join(ROOT, 'dist');
  const { loadConfig } = require(join(dist, 'libs/config/src'));
  const { stopEmbeddedPostgres } = require(join(dist, 'libs/database/src'));
  const { CourseImportService } = require(join(dist, 'libs/courses/src'));
  const { OrgUnitEntity, OrgUnitKind, PasswordService, UserEntity, UserStatus } = require(
    join(dist, 'libs/identity/src'),
  );
  const { createApiApp } = require(join(dist, 'apps/api/src/create-api-app'));
  const { DataSource } = require('typeorm');

  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-web-quality-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_PREFIX: `hocso-web-quality-${randomBytes(3).toString('hex')}`,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    RUN_WORKER: 'false',
    HOST: '127.0.0.1',
    CONTENT_IMPORT_ON_START: 'false',
    // the machine's own password-less Redis, on loopback (production refuses one otherwise)
    REDIS_ALLOW_INSECURE: 'true',
    // a throw-away data folder: production does not make signing keys by itself
    CREDENTIAL_KEYS_CREATE: 'true',
    LTI_KEYS_CREATE: 'true',
  });
  const started = Date.now();
  const app = await createApiApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const imported = await app.get(CourseImportService).importDirectory(join(ROOT, 'content'));

  // Accounts, inserted as fixtures (the journeys themselves are the browser tests' business).
  const ds = app.get(DataSource);
  const hash = await app.get(PasswordService).hash(PASSWORD);
  const units = ds.getRepository(OrgUnitEntity);
  const province = await units.findOneByOrFail({ kind: OrgUnitKind.Province });
  const [commune] = await units
    .createQueryBuilder('o')
    .where('o.kind IN (:...kinds)', { kinds: [OrgUnitKind.Commune, OrgUnitKind.Ward] })
    .orderBy('o.code')
    .limit(1)
    .getMany();
  const users = ds.getRepository(UserEntity);
  const person = (fullName, roles, orgUnitId) =>
    users.save(
      users.create({
        email: `q-${randomBytes(5).toString('hex')}@example.vn`,
        passwordHash: hash,
        fullName,
        roles,
        orgUnitId,
        status: UserStatus.Active,
        locale: 'vi',
      }),
    );
  const call = async (method, path, token, body, headers = {}) => {
    const res = await app.inject({
      method,
      url: path,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { payload: body }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
    return res.body ? JSON.parse(res.body) : null;
  };
  const signIn = async (user) => {
    const t = await call('POST', '/v1/auth/login', null, { identifier: user.email, password: PASSWORD });
    return { accessToken: t.accessToken, refreshToken: t.refreshToken };
  };
  const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

  const admin = await person('Quản trị tỉnh', ['province_admin'], province.id);
  const learner = await person('Nguyễn Thị Mai', ['learner'], commune.id);
  const trainer = await person('Trần Văn Giảng', ['learner'], commune.id);
  const tokens = { admin: await signIn(admin), learner: await signIn(learner) };
  await call('POST', `/v1/trainers/${trainer.id}/qualifications`, tokens.admin.accessToken, { level: 'core' });
  tokens.trainer = await signIn(trainer); // after the qualification: the trainer role is in the token
  await call('POST', '/v1/enrollments', tokens.learner.accessToken, { courseSlug: COURSE });
  const cohort = await call('POST', '/v1/cohorts', tokens.trainer.accessToken, {
    title: 'Lớp Bình dân học vụ số — xóm Đồng Tâm',
    courseSlugs: [COURSE],
    kind: 'citizen',
    mode: 'in_person',
    startsOn: day(-5),
    endsOn: day(30),
    capacity: 30,
    location: 'Nhà văn hóa xóm Đồng Tâm',
  });
  await call('POST', `/v1/cohorts/${cohort.id}/members`, tokens.trainer.accessToken, {
    members: [{ fullName: learner.fullName, email: learner.email }],
  });
  const session = await call('POST', `/v1/cohorts/${cohort.id}/sessions`, tokens.trainer.accessToken, {
    startsAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
    durationMinutes: 90,
    title: 'Buổi 1: cài VNeID',
  });
  const park = await call('POST', '/v1/industrial-parks', tokens.admin.accessToken, {
    name: 'KCN Yên Bình',
    code: `KCN-${randomBytes(4).toString('hex')}`,
  });
  const enterprise = await call('POST', '/v1/enterprises', tokens.admin.accessToken, {
    name: 'Công ty TNHH Điện tử Yên Bình',
    taxCode: `46${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
    industrialParkId: park.id,
    ownership: 'fdi',
  });
  tokens.manager = await signIn(await person('Đặng Thị Quản', ['enterprise_manager'], enterprise.id));
  const outline = await call('GET', `/v1/courses/${COURSE}`);

  process.send({
    ready: true,
    url,
    tokens,
    ids: { lesson: outline.modules[0].lessons[0].id, cohort: cohort.id, session: session.id },
    database: config.db.url ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite',
    bootAndSeedMs: Date.now() - started,
    imported: imported.counts,
  });
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    await app.close();
    await stopEmbeddedPostgres();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
}

async function startApi() {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  process.on('exit', () => child.kill());
  const READY_MS = 240_000;
  const info = await new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill();
      fail(new Error(`the api was not ready (booted, imported, seeded) within ${READY_MS / 1000} s`));
    }, READY_MS);
    child.once('message', (m) => {
      clearTimeout(timer);
      ok(m);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the api process exited (${code}) before it was ready`));
    });
  });
  return { info, stop: () => child.send('stop') };
}

// ---------------------------------------------------------------------------------------------
// (b) axe-core on every page
// ---------------------------------------------------------------------------------------------

function pagesToAudit(ids) {
  return [
    { name: 'catalogue', path: '/', role: null },
    { name: 'course', path: `/courses/${COURSE}`, role: null },
    { name: 'lesson', path: `/courses/${COURSE}/lessons/${ids.lesson}`, role: null },
    { name: 'login', path: '/login', role: null },
    { name: 'register', path: '/register', role: null },
    { name: 'course (enrolled)', path: `/courses/${COURSE}`, role: 'learner' },
    { name: 'lesson (enrolled)', path: `/courses/${COURSE}/lessons/${ids.lesson}`, role: 'learner' },
    { name: 'my courses', path: '/me/courses', role: 'learner' },
    { name: 'certificates', path: '/me/certificates', role: 'learner' },
    { name: 'account', path: '/me/account', role: 'learner' },
    { name: 'trainer cohorts', path: '/trainer', role: 'trainer' },
    { name: 'trainer cohort', path: `/trainer/cohorts/${ids.cohort}`, role: 'trainer' },
    { name: 'attendance', path: `/trainer/cohorts/${ids.cohort}/sessions/${ids.session}`, role: 'trainer' },
    { name: 'enterprise', path: '/enterprise', role: 'manager' },
    { name: 'KPI dashboard', path: '/admin', role: 'admin' },
    { name: 'KPI detail', path: '/admin/kpis/TOT_TRAINERS', role: 'admin' },
  ];
}

async function audit(url, tokens, ids) {
  const { chromium } = require('playwright-core');
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }).catch((err) => {
    throw new Error(`Chromium could not be started from ${CHROMIUM} (CHROMIUM_PATH): ${err.message.split('\n')[0]}`);
  });
  const results = [];
  try {
    for (const p of pagesToAudit(ids)) {
      const context = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      if (p.role) {
        const session = JSON.stringify(tokens[p.role]);
        await context.addInitScript(`localStorage.setItem('hocso.session', ${JSON.stringify(session)})`);
      }
      const page = await context.newPage();
      const errors = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      const loaded = new Map();
      page.on('response', async (res) => {
        const type = res.request().resourceType();
        if ((type === 'script' || type === 'stylesheet') && res.url().startsWith(url)) {
          loaded.set(new URL(res.url()).pathname, type);
        }
      });
      await page.goto(url + p.path, { waitUntil: 'networkidle' });
      await page.locator('main h1').first().waitFor({ timeout: 15_000 });
      // the page's own requests done: no "Đang tải…" left in <main>
      for (let i = 0; i < 100 && /Đang tải…/.test((await page.locator('main').textContent()) ?? ''); i++) {
        await page.waitForTimeout(100);
      }
      await page.evaluate(axeSource);
      const violations = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
        r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`);
      const count = (impact) => violations.filter((v) => v.impact === impact).reduce((s, v) => s + v.targets.length, 0);
      const loadedFiles = [...loaded.keys()].filter((f) => f.startsWith('/app/'));
      results.push({
        page: p.name,
        path: p.path,
        role: p.role ?? 'anonymous',
        h1: ((await page.locator('main h1').first().textContent()) ?? '').trim(),
        critical: count('critical'),
        serious: count('serious'),
        moderate: count('moderate'),
        minor: count('minor'),
        violations,
        consoleErrors: errors,
        loadedGzipBytes: loadedFiles.reduce((s, f) => s + (existsSync(join(WEB, f)) ? gz(join(WEB, f)) : 0), 0),
        scrollWidthAt360: await (async () => {
          await page.setViewportSize({ width: 360, height: 740 });
          await page.waitForTimeout(100);
          return page.evaluate('document.documentElement.scrollWidth');
        })(),
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// (c) Lighthouse
// ---------------------------------------------------------------------------------------------

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function lighthouseScores(url, ids) {
  let lighthouse;
  try {
    lighthouse = (await import('lighthouse')).default;
  } catch (err) {
    return { skipped: `lighthouse is not installed (${err.message.split('\n')[0]})` };
  }
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), 'hocso-lighthouse-'));
  const chrome = spawn(CHROMIUM, [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`], {
    stdio: 'ignore',
  });
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const up = await fetch(`http://127.0.0.1:${port}/json/version`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`Chromium's DevTools port ${port} did not open`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const runs = Math.max(1, Math.min(5, Number.parseInt(process.env.LIGHTHOUSE_RUNS ?? '3', 10) || 1));
    const only = (process.env.LIGHTHOUSE_PAGES ?? '').split(',').filter(Boolean);
    const targets = [
      { name: 'catalogue', path: '/' },
      { name: 'lesson', path: `/courses/${COURSE}/lessons/${ids.lesson}` },
    ].filter((t) => !only.length || only.includes(t.name));
    const out = {};
    for (const target of targets) {
      const scores = [];
      const reports = [];
      for (let i = 0; i < runs; i++) {
        let result;
        // A trace Lighthouse could not record (NO_NAVSTART, NO_FCP) asks for another run: up to 3 tries.
        for (let attempt = 1; ; attempt++) {
          result = await lighthouse(url + target.path, {
            port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: ['performance'],
            formFactor: 'mobile',
          });
          const failed = result.lhr.runtimeError;
          if (!failed) break;
          if (attempt === 3) throw new Error(`${target.name}: ${failed.code} ${failed.message}`);
        }
        const lhr = result.lhr;
        const metric = (id) => lhr.audits[id]?.numericValue ?? null;
        scores.push({
          score: Math.round((lhr.categories.performance.score ?? 0) * 100),
          firstContentfulPaintMs: metric('first-contentful-paint'),
          largestContentfulPaintMs: metric('largest-contentful-paint'),
          totalBlockingTimeMs: metric('total-blocking-time'),
          cumulativeLayoutShift: metric('cumulative-layout-shift'),
          speedIndexMs: metric('speed-index'),
          lighthouseVersion: lhr.lighthouseVersion,
          throttling: lhr.configSettings.throttlingMethod,
          formFactor: lhr.configSettings.formFactor,
        });
        reports.push(result.report);
      }
      const runScores = scores.map((x) => x.score);
      const median = [...scores.keys()].sort((a, b) => scores[a].score - scores[b].score)[scores.length >> 1];
      // the median run's full report, for its diagnostics
      writeFileSync(join(OUT, `lighthouse-${target.name}.json`), reports[median]);
      out[target.name] = { ...scores[median], runs: runScores };
    }
    return out;
  } finally {
    const exited = new Promise((ok) => chrome.once('exit', ok));
    chrome.kill();
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      // a leftover profile folder in the temp directory is harmless
    }
  }
}

// ---------------------------------------------------------------------------------------------

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const pad = (s, n) => String(s).padEnd(n);

async function main() {
  if (!existsSync(join(WEB, 'index.html')) || !existsSync(join(ROOT, 'dist/apps/api/src/create-api-app.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm run web:quality does)');
  }
  mkdirSync(OUT, { recursive: true });
  const report = { measuredAt: new Date().toISOString(), node: process.version };

  // (a)
  const bytes = pageBytes();
  const budget = JSON.parse(readFileSync(join(WEB, 'app', 'budget.json'), 'utf8'));
  const catalogue = bytes.find((b) => b.path === '/');
  report.bytes = { budgetJson: budget.cataloguePage, pages: bytes };
  console.log('(a) JS + CSS + HTML shell, gzipped, for a first visit to each page (dist/web)\n');
  console.log(`${pad('page', 42)}${pad('total', 11)}page's own chunks`);
  for (const b of bytes) console.log(`${pad(b.path, 42)}${pad(kb(b.gzipBytes), 11)}${kb(b.pageOnlyGzipBytes)}`);
  console.log(
    `\ncatalogue page: ${kb(catalogue.gzipBytes)} (budget ${kb(CATALOGUE_BUDGET)}; build's budget.json says ${kb(budget.cataloguePage.gzipBytes)})`,
  );
  const overBudget = catalogue.gzipBytes > CATALOGUE_BUDGET;

  // (b) and (c) need the api
  console.log('\nbooting the api (dist/), importing content/, making the accounts…');
  const { info, stop } = await startApi();
  try {
    console.log(
      `api on ${info.url} — ${info.database}; booted, imported and seeded in ${info.bootAndSeedMs} ms ` +
        `(${JSON.stringify(info.imported)})\n`,
    );
    const axe = process.env.WEB_QUALITY_SKIP_AXE === '1' ? [] : await audit(info.url, info.tokens, info.ids);
    report.axe = axe;
    console.log('(b) axe-core violations per page (nodes; serious and critical must be 0)\n');
    console.log(
      `${pad('page', 20)}${pad('role', 11)}${pad('critical', 10)}${pad('serious', 9)}${pad('moderate', 10)}${pad('minor', 7)}${pad('360px', 7)}loaded`,
    );
    for (const r of axe) {
      console.log(
        `${pad(r.page, 20)}${pad(r.role, 11)}${pad(r.critical, 10)}${pad(r.serious, 9)}${pad(r.moderate, 10)}${pad(r.minor, 7)}` +
          `${pad(r.scrollWidthAt360 <= 360 ? 'ok' : r.scrollWidthAt360, 7)}${kb(r.loadedGzipBytes)}`,
      );
    }
    for (const r of axe) {
      for (const v of r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
        console.log(`  ${r.page}: ${v.id} (${v.impact}) — ${v.help}\n    ${v.targets.join('\n    ')}`);
      }
      for (const e of r.consoleErrors) console.log(`  ${r.page}: console error — ${e}`);
    }
    const moderate = [
      ...new Set(axe.flatMap((r) => r.violations.filter((v) => v.impact === 'moderate').map((v) => v.id))),
    ];
    if (moderate.length) console.log(`  moderate rules seen: ${moderate.join(', ')}`);

    if (process.env.WEB_QUALITY_SKIP_LIGHTHOUSE === '1') {
      report.lighthouse = { skipped: 'WEB_QUALITY_SKIP_LIGHTHOUSE=1' };
    } else {
      console.log('\n(c) Lighthouse performance, mobile, default (simulated) throttling — target ≥ 90\n');
      try {
        report.lighthouse = await lighthouseScores(info.url, info.ids);
      } catch (err) {
        report.lighthouse = { error: err instanceof Error ? err.message : String(err) };
      }
      if (report.lighthouse.skipped || report.lighthouse.error) {
        console.log(`  not measured: ${report.lighthouse.skipped ?? report.lighthouse.error}`);
      } else {
        for (const [name, r] of Object.entries(report.lighthouse)) {
          console.log(
            `  ${pad(name, 11)} score ${r.score}${r.score < LIGHTHOUSE_TARGET ? ' (below 90)' : ''}` +
              ` — FCP ${Math.round(r.firstContentfulPaintMs)} ms, LCP ${Math.round(r.largestContentfulPaintMs)} ms,` +
              ` TBT ${Math.round(r.totalBlockingTimeMs)} ms, CLS ${r.cumulativeLayoutShift?.toFixed(3)},` +
              ` SI ${Math.round(r.speedIndexMs)} ms (Lighthouse ${r.lighthouseVersion}${r.runs.length > 1 ? `, runs ${r.runs.join('/')}` : ''})`,
          );
        }
      }
    }
  } finally {
    stop();
  }
  writeFileSync(join(OUT, 'quality.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten: ${join('test-artifacts', 'web', 'quality.json')}`);
  if (overBudget) {
    console.error(
      `web quality failed: the catalogue page is ${kb(catalogue.gzipBytes)}, over its ${kb(CATALOGUE_BUDGET)} budget`,
    );
    process.exitCode = 1;
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
