import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Download, type Locator, type Page } from 'playwright-core';

/**
 * Shared by the portal's browser tests (test/web-browser.e2e-spec.ts): Chromium start-up, the
 * per-page quality checks (axe-core, 360 px, console errors), screenshots and small waits.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
export const ARTIFACTS = join(__dirname, '../test-artifacts/web');

/** Chromium (Debian's), or a clear failure: never a skip. */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new Error(
      `Chromium could not be started from ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install -y chromium): ` +
        (err instanceof Error ? err.message.split('\n')[0] : String(err)),
    );
  }
}

/** A Vietnamese browser in Vietnam: the portal's own defaults are tested, not the machine's. */
export const VIETNAM = { locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' } as const;

/** A phone: 360 × 740 CSS px, touch, mobile viewport rules. */
export const PHONE = { ...VIETNAM, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } as const;

// ---------------------------------------------------------------------------------------------
// Console errors
// ---------------------------------------------------------------------------------------------

/**
 * Collects console errors and uncaught exceptions of a page. While `offline` is set (the test cut
 * the network on purpose) the browser's own "Failed to load resource" lines for the requests that
 * could not go out are expected and not counted; everything else is.
 */
export class ConsoleWatch {
  readonly errors: string[] = [];
  offline = false;

  constructor(
    page: Page,
    private readonly label: string,
  ) {
    this.attach(page);
  }

  attach(page: Page): void {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      if (this.offline && /Failed to load resource|ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(text)) return;
      const where = msg.location();
      // The browser's own request for a missing /favicon.ico: its own test ("the shell names its icon").
      if (/\/favicon\.ico$/.test(where.url ?? '')) return;
      this.errors.push(
        `[${this.label}] console.error: ${text}${where.url ? ` (${where.url}:${where.lineNumber})` : ''}`,
      );
    });
    page.on('pageerror', (err) => {
      this.errors.push(`[${this.label}] uncaught: ${err.message}\n${err.stack ?? ''}`);
    });
  }

  /** Fails the test on anything collected. */
  assertClean(): void {
    if (this.errors.length) throw new Error(`console errors on the page:\n${this.errors.join('\n')}`);
  }
}

/**
 * Checks whose failure should not stop the journey (a wrong number format, an off-by-one label):
 * recorded as they happen, reported together at the end so one run shows every problem.
 */
export class SoftChecks {
  readonly failures: string[] = [];

  async check(label: string, fn: () => unknown | Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.failures.push(`${label}: ${err instanceof Error ? err.message.split('\n').slice(0, 6).join(' ') : err}`);
    }
  }

  assertNone(): void {
    if (this.failures.length) throw new Error(`checks failed:\n- ${this.failures.join('\n- ')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Per-page checks: axe-core and 360 px
// ---------------------------------------------------------------------------------------------

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export interface PageAudit {
  journey: string;
  page: string;
  url: string;
  violations: AxeViolation[];
  scrollWidthAt360: number;
}

/** Every page the tests checked (written to test-artifacts/web/browser-audits.json after the run). */
export const audits: PageAudit[] = [];

/**
 * axe-core on the whole document (open shadow roots included). The page's CSP allows only its own
 * scripts, so axe is evaluated through the DevTools protocol rather than added as a <script>.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    })))`)) as AxeViolation[];
  return result;
}

/** document.documentElement.scrollWidth with the viewport 360 px wide (restored afterwards). */
export async function scrollWidthAt360(page: Page): Promise<number> {
  const before = page.viewportSize();
  if (before?.width !== 360) await page.setViewportSize({ width: 360, height: before?.height ?? 740 });
  // two frames: layout settles (Lit re-renders nothing on resize, media queries do)
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  if (before && before.width !== 360) await page.setViewportSize(before);
  return width;
}

/**
 * The quality bars of one page: no axe violation of any impact (the issue's bar is none serious or
 * critical; the portal has none at all, and keeps it so), no horizontal scrolling at 360 px. Records the result; throws with the rule ids and targets.
 */
export async function checkPage(page: Page, journey: string, name: string): Promise<PageAudit> {
  const started = Date.now();
  const violations = await runAxe(page);
  const width = await scrollWidthAt360(page);
  const audit: PageAudit = { journey, page: name, url: page.url(), violations, scrollWidthAt360: width };
  audits.push(audit);
  timings.push({ journey, step: `checkPage: ${name}`, ms: Date.now() - started });
  const bad = violations;
  const problems: string[] = [];
  if (bad.length) {
    problems.push(
      `axe-core: ${bad.length} violation(s) on ${name} (${page.url()}):\n` +
        bad.map((v) => `  - ${v.id} (${v.impact}): ${v.help}\n      ${v.targets.join('\n      ')}`).join('\n'),
    );
  }
  if (width > 360) {
    problems.push(`${name} (${page.url()}) scrolls sideways at 360 px: scrollWidth ${width} > 360`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
  return audit;
}

/** Where the time goes: each journey's steps, written next to the audits. */
export const timings: Array<{ journey: string; step: string; ms: number }> = [];

export function stopwatch(journey: string): (step: string) => void {
  let last = Date.now();
  return (step) => {
    const now = Date.now();
    timings.push({ journey, step, ms: now - last });
    last = now;
  };
}

export function writeAudits(): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'browser-audits.json'), `${JSON.stringify(audits, null, 2)}\n`);
  writeFileSync(join(ARTIFACTS, 'browser-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
}

export async function screenshot(page: Page, journey: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${journey}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** Polls `check` (an async condition) until it holds. */
export async function until(check: () => Promise<boolean> | boolean, message: string, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`${message} (after ${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The page's main heading (the routed page renders its own h1 inside <main>). */
export function h1(page: Page): Locator {
  return page.locator('main h1');
}

/** Waits for the routed page's h1 to read `text`. */
export async function heading(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
  await h1(page).filter({ hasText: text }).first().waitFor({ timeout });
}

/** Bytes of a download (Blob-URL downloads included). */
export async function downloadBytes(download: Download): Promise<Buffer> {
  const path = await download.path();
  if (!path) throw new Error(`download ${download.suggestedFilename()} failed: ${await download.failure()}`);
  return readFileSync(path);
}

/** Clicks and returns the download it starts. */
export async function clickForDownload(page: Page, target: Locator, timeout = 15_000): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout }), target.click()]);
  return download;
}

/** Signs in through /login (as a person would; the page is checked too) and waits for the page it leads to. */
export async function signInThroughForm(
  page: Page,
  base: string,
  journey: string,
  identifier: string,
  password: string,
  next = '/',
) {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await heading(page, 'Đăng nhập');
  await checkPage(page, journey, 'login');
  await page.getByLabel('Email hoặc số điện thoại').fill(identifier);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.locator('main').getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => url.pathname === next.split('?')[0], { timeout: 15_000 });
}

/** The number of progress events waiting in the portal's IndexedDB queue. */
export function pendingProgressEvents(page: Page): Promise<number> {
  // Never opens (and so creates) the database before the portal has: that would skip its upgrade.
  return page.evaluate(`indexedDB.databases().then((dbs) => !dbs.some((d) => d.name === 'hocso-progress') ? 0 :
    new Promise((resolve, reject) => {
    const open = indexedDB.open('hocso-progress');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('events')) { db.close(); return resolve(0); }
      const req = db.transaction('events', 'readonly').objectStore('events').count();
      req.onsuccess = () => { db.close(); resolve(req.result); };
      req.onerror = () => reject(req.error);
    };
  }))`) as Promise<number>;
}
