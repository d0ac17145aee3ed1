import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Role } from '@hocso/common';
import { CourseImportService } from '@hocso/courses';
import { createSession, createTestApp, Factories, TEST_PASSWORD, type TestApp } from '@hocso/testing';
import { type Browser, chromium, type Frame, type FrameLocator, type Page } from 'playwright-core';

/**
 * The browser side of embedding, in a real Chromium: an integrator's page on another origin loads
 * /embed/v1/hocso.js from the api, its <hocso-*> elements fetch the content API across origins
 * (CORS for the registered integrator), render in their shadow roots untouched by the page's CSS,
 * and open the server-rendered embed pages in frames, where player.js signs in, grades a quiz,
 * records progress (through an offline spell) and tells the page the lesson is done.
 *
 * Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium; `apt-get install -y chromium`): without
 * it the suite fails — it is never skipped.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const COURSE = 'lop-thu-nghiem';
const COURSE_TITLE = 'Lớp học cộng đồng — thử nghiệm';
const OTHER_TITLE = 'Đào tạo giảng viên — thử nghiệm';
const FG = 'rgb(27, 31, 36)'; // --hocso-fg default
const PRIMARY = 'rgb(11, 92, 173)'; // --hocso-primary default

/** The integrator's page: hostile global CSS on purpose. */
function hostPage(api: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin xã</title>
<style>
  * { color: rgb(255, 0, 0); font-family: serif; line-height: 3; }
  h2, h3 { display: none; }
  a { color: rgb(0, 128, 0) !important; }
  button { background: rgb(0, 255, 0); border: 5px dotted black; }
  p { text-transform: uppercase; }
</style></head><body>
<h3 id="host-heading">Trang của đơn vị tích hợp</h3>
<script src="${api}/embed/v1/hocso.js"></script>
${body}
</body></html>`;
}

/** Computed styles inside an element's open shadow root (page.evaluate with a string: no DOM types here). */
function shadowStyle(page: Page, host: string, selector: string, props: string[]): Promise<Record<string, string>> {
  return page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(host)}).shadowRoot.querySelector(${JSON.stringify(selector)});
    const s = getComputedStyle(el);
    return Object.fromEntries(${JSON.stringify(props)}.map((p) => [p, s.getPropertyValue(p)]));
  })()`);
}

async function until(check: () => boolean, message: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('embedding in a browser: <hocso-*> web components and the embed-page player', () => {
  let t: TestApp;
  let api: string;
  let host: string;
  let hostServer: Server;
  let browser: Browser | undefined;
  let lessonId: string;
  const pages: Record<string, string> = {};

  beforeAll(async () => {
    // Fresh bundles (the api serves dist/web; outside production it re-reads them per request).
    execFileSync(process.execPath, [join(__dirname, '../apps/embed-web/build.mjs')], { stdio: 'pipe' });

    hostServer = createServer((req, res) => {
      const body = pages[(req.url ?? '/').split('?')[0]];
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(hostServer.address() as AddressInfo).port}`;

    t = await createTestApp();
    // createTestApp does not listen (supertest binds its own ephemeral ports); the browser needs a real one.
    await t.app.listen(0, '127.0.0.1');
    api = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await t.app.get(CourseImportService).importDirectory(join(__dirname, 'fixtures/cohort-content'));
    const outline = await t.http().get(`/v1/content/courses/${COURSE}`).expect(200);
    lessonId = outline.body.modules[0].lessons[0].id;

    // The host page's origin becomes an integrator's: CORS for the content API, frame-ancestors.
    const admin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: await new Factories(t).province() });
    await admin.agent
      .post('/v1/integrators')
      .send({ name: 'Cổng thông tin xã thử nghiệm', contactEmail: 'tich-hop@example.vn', allowedOrigins: [host] })
      .expect(201);

    pages['/'] = hostPage(
      api,
      `<hocso-catalog limit="5"></hocso-catalog>
<hocso-course slug="${COURSE}" style="--hocso-primary: rgb(11, 92, 173)"></hocso-course>`,
    );
    pages['/lesson'] = hostPage(
      api,
      `<hocso-lesson lesson-id="${lessonId}"></hocso-lesson>
<script>
  window.__hocso = [];
  document.querySelector('hocso-lesson').addEventListener('hocso-completed', (e) => window.__hocso.push(e.detail));
</script>`,
    );
    pages['/en'] = hostPage(api, `<hocso-catalog lang="en" limit="5"></hocso-catalog>`);

    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    } catch (err) {
      throw new Error(
        `Chromium could not be started from ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install -y chromium): ` +
          (err instanceof Error ? err.message.split('\n')[0] : String(err)),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((resolve) => hostServer?.close(resolve));
  });

  it('serves both bundles to other sites as scripts', async () => {
    for (const file of ['hocso.js', 'player.js']) {
      const res = await t.http().get(`/embed/v1/${file}`).expect(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.text.length).toBeGreaterThan(1000);
    }
  });

  it('renders the catalogue from the content API inside the shadow root, untouched by the page CSS', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`${host}/`);
      const catalog = page.locator('hocso-catalog');
      await catalog.locator(`text=${COURSE_TITLE}`).waitFor({ timeout: 10_000 });
      await catalog.locator(`text=${OTHER_TITLE}`).waitFor();
      const card = catalog.locator('li.card', { hasText: COURSE_TITLE });
      expect(await card.textContent()).toMatch(/≈ 20 phút/);
      expect(await card.textContent()).toMatch(/1 bài học/);
      expect(await card.textContent()).toMatch(/Cơ bản 1/);
      expect(await catalog.locator('.root').getAttribute('aria-busy')).toBe('false');
      // Nothing leaks into the page's own DOM.
      expect(await page.locator('body').textContent()).not.toContain(COURSE_TITLE);

      // The page's CSS is live on its own heading…
      const own = await page.evaluate(`getComputedStyle(document.getElementById('host-heading')).display`);
      expect(own).toBe('none');
      // …and does not reach inside: headings shown, own colours, own font, own line height.
      const title = await shadowStyle(page, 'hocso-catalog', 'li.card h3', ['display', 'color', 'font-family']);
      expect(title.display).toBe('block');
      expect(title.color).toBe(FG);
      expect(title['font-family']).not.toBe('serif');
      const link = await shadowStyle(page, 'hocso-catalog', 'li.card h3 a', ['color']);
      expect(link.color).toBe(FG);
      const summary = await shadowStyle(page, 'hocso-catalog', 'li.card .summary', ['text-transform', 'line-height']);
      expect(summary['text-transform']).toBe('none');
      expect(Number.parseFloat(summary['line-height'])).toBeLessThan(40);

      await page.locator('hocso-course').locator(`text=${COURSE_TITLE}`).waitFor();
      const heading = await shadowStyle(page, 'hocso-course', 'h2', ['display', 'color']);
      expect(heading).toEqual({ display: 'block', color: FG });
      const start = await shadowStyle(page, 'hocso-course', 'button.btn', ['background-color', 'border-top-style']);
      expect(start).toEqual({ 'background-color': PRIMARY, 'border-top-style': 'solid' });
    } finally {
      await page.close();
    }
  });

  it('"Bắt đầu học" opens the course embed page in a frame that takes its content height', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`${host}/`);
      const course = page.locator('hocso-course');
      await course.getByRole('button', { name: 'Bắt đầu học' }).click();
      const iframe = course.locator('iframe');
      await iframe.waitFor();
      expect(await iframe.getAttribute('src')).toBe(`${api}/embed/courses/${COURSE}?lang=vi`);
      expect(await iframe.getAttribute('title')).toContain(COURSE_TITLE);
      expect(await iframe.getAttribute('loading')).toBe('lazy');

      // The page loads in the frame (frame-ancestors lets the integrator's origin frame it)…
      const frame = page.frameLocator('hocso-course iframe');
      await frame.locator('#hocso-player[data-kind="course"]').waitFor({ timeout: 10_000 });
      await frame.locator('a.hocso-lesson-link').first().waitFor();
      // Lesson links keep the frame's language.
      expect(await frame.locator('a.hocso-lesson-link').first().getAttribute('href')).toMatch(/\?lang=vi$/);
      // …and player.js's hocso:resize sets the frame's height from the default 560px to the page's.
      await page.waitForFunction(
        `(() => {
          const f = document.querySelector('hocso-course').shadowRoot.querySelector('iframe');
          const doc = f.contentDocument; // cross-origin: null; the height is all the host knows
          return doc === null && f.style.height !== '560px';
        })()`,
        undefined,
        { timeout: 10_000 },
      );
      const height = await page.evaluate(
        `parseInt(document.querySelector('hocso-course').shadowRoot.querySelector('iframe').style.height, 10)`,
      );
      const inner = await page
        .frames()
        .find((f: Frame) => f.url().startsWith(`${api}/embed/courses/`))!
        .evaluate(`Math.ceil(document.getElementById('hocso-player').getBoundingClientRect().bottom)`);
      expect(Math.abs(Number(height) - Number(inner))).toBeLessThanOrEqual(40);

      // Only that frame may resize the element: a message from any other window is ignored.
      await page.evaluate(`window.postMessage({ type: 'hocso:resize', height: 9999 }, '*')`);
      await page.waitForTimeout(100);
      expect(
        await page.evaluate(`document.querySelector('hocso-course').shadowRoot.querySelector('iframe').style.height`),
      ).toBe(`${height}px`);

      // Back to the outline; focus returns to the button that opened the frame.
      await course.getByRole('button', { name: /Quay lại/ }).click();
      expect(await course.locator('iframe').count()).toBe(0);
      expect(await page.evaluate(`document.querySelector('hocso-course').shadowRoot.activeElement.textContent`)).toBe(
        'Bắt đầu học',
      );
    } finally {
      await page.close();
    }
  });

  it('speaks English with lang="en"', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`${host}/en`);
      const catalog = page.locator('hocso-catalog');
      await catalog.locator('text=Community class — trial').waitFor({ timeout: 10_000 });
      expect(await catalog.locator('li.card', { hasText: 'Community class — trial' }).textContent()).toMatch(
        /≈ 20 min[\s\S]*1 lesson/,
      );
    } finally {
      await page.close();
    }
  });

  it('in a lesson frame: sign in, quiz graded, progress queued through an offline spell, completion told to the page', async () => {
    const learner = await new Factories(t).user({ roles: [Role.Learner] });
    const context = await browser!.newContext();
    // A controllable clock (it still runs on its own): heartbeats are 30 s apart.
    await context.clock.install();
    const page = await context.newPage();
    const sent: Array<Record<string, unknown>> = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url() === `${api}/v1/progress-events`) {
        sent.push(...(req.postDataJSON() as { events: Array<Record<string, unknown>> }).events);
      }
    });
    try {
      await page.goto(`${host}/lesson`);
      const iframe = page.locator('hocso-lesson iframe');
      await iframe.waitFor();
      expect(await iframe.getAttribute('src')).toBe(`${api}/embed/lessons/${lessonId}?lang=vi`);
      const frame: FrameLocator = page.frameLocator('hocso-lesson iframe');

      // Reading needs no account; the sign-in form is offered, the complete button is not.
      await frame.locator('.hocso-lesson').waitFor({ timeout: 10_000 });
      await frame.locator('.hocso-signin input[name="identifier"]').waitFor();
      expect(await frame.locator('button.hocso-complete').isHidden()).toBe(true);

      // Submitting the quiz signed out asks for sign-in, then submits itself once signed in.
      await frame.locator('fieldset[data-question-id="q-1"] input[value="true"]').check();
      await frame.getByRole('button', { name: 'Nộp bài' }).click();
      await frame.locator('.hocso-quiz-result', { hasText: 'Đăng nhập để nộp bài' }).waitFor();
      await frame.locator('.hocso-signin input[name="identifier"]').fill(learner.email as string);
      await frame.locator('.hocso-signin input[name="password"]').fill(TEST_PASSWORD);
      await frame.getByRole('button', { name: 'Đăng nhập' }).click();

      const result = frame.locator('.hocso-quiz-result');
      await result.locator('text=Điểm: 100%').waitFor({ timeout: 10_000 });
      expect(await result.textContent()).toMatch(/Đạt/);
      expect(await result.textContent()).toMatch(/Mã OTP chỉ dành cho chính bạn\./);
      expect(await frame.locator('fieldset[data-question-id="q-1"]').getAttribute('data-result')).toBe('correct');

      // Signed in: enrolled, lesson_started sent, and the complete button is offered.
      const complete = frame.locator('button.hocso-complete');
      await complete.waitFor({ state: 'visible' });
      await until(() => sent.some((e) => e.type === 'lesson_started'), 'lesson_started was not sent');
      const started = sent.find((e) => e.type === 'lesson_started')!;
      expect(started).toEqual({
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'lesson_started',
        courseSlug: COURSE,
        lessonId,
        occurredAt: expect.any(String),
      });

      // Every 30 s while the page is visible: a heartbeat of 30 seconds.
      await page.clock.runFor(30_500);
      await until(() => sent.some((e) => e.type === 'heartbeat'), 'no heartbeat after 30 s');
      expect(sent.find((e) => e.type === 'heartbeat')).toMatchObject({ seconds: 30, courseSlug: COURSE, lessonId });

      // Tokens only in sessionStorage, never in localStorage or a URL.
      const inFrame = page.frames().find((f: Frame) => f.url().startsWith(`${api}/embed/lessons/`))!;
      expect(await inFrame.evaluate('localStorage.length')).toBe(0);
      expect(await inFrame.evaluate(`Object.keys(JSON.parse(sessionStorage.getItem('hocso.session')))`)).toEqual([
        'accessToken',
        'refreshToken',
        'expiresAt',
      ]);
      expect(inFrame.url()).not.toMatch(/token/i);

      // Completing while offline: kept in the queue, sent when the connection returns.
      await context.setOffline(true);
      await complete.click();
      await frame.locator('.hocso-complete-status', { hasText: 'sẽ gửi khi có mạng' }).waitFor();
      expect(await inFrame.evaluate(`sessionStorage.getItem('hocso.progress-queue')`)).toContain('lesson_completed');
      expect(await page.evaluate('window.__hocso.length')).toBe(0);
      await context.setOffline(false);
      await page.waitForFunction('window.__hocso.length === 1', undefined, { timeout: 15_000 });
      expect(await page.evaluate('window.__hocso[0]')).toEqual({ courseSlug: COURSE, lessonId });
      expect(await complete.textContent()).toMatch(/Đã học xong/);
      expect(await inFrame.evaluate(`sessionStorage.getItem('hocso.progress-queue')`)).toBeNull();

      // The server agrees: quiz passed + lesson completed = course completed.
      const login = await t.http().post('/v1/auth/login').send({ identifier: learner.email, password: TEST_PASSWORD });
      const mine = await t.http().get('/v1/me/enrollments').set('Authorization', `Bearer ${login.body.accessToken}`);
      expect(mine.status).toBe(200);
      expect(mine.body.items).toEqual([
        expect.objectContaining({ courseSlug: COURSE, status: 'completed', lessonsCompleted: 1, progressPercent: 100 }),
      ]);
    } finally {
      await context.close();
    }
  });
});
