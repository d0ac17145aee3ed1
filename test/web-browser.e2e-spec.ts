import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { localDate, Role } from '@hocso/common';
import { CourseImportService } from '@hocso/courses';
import { createSession, createTestApp, Factories, type Session, TEST_PASSWORD, type TestApp } from '@hocso/testing';
import { load as loadYaml } from 'js-yaml';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import {
  ConsoleWatch,
  checkPage,
  clickForDownload,
  downloadBytes,
  heading,
  launchChromium,
  PHONE,
  SoftChecks,
  pendingProgressEvents,
  screenshot,
  signInThroughForm,
  stopwatch,
  until,
  VIETNAM,
  writeAudits,
} from './web-helpers';

/**
 * The portal (apps/web) in a real Chromium, against the real api (own PostgreSQL database, Redis,
 * the worker in-process so certificates are issued) and the real starter library (content/).
 *
 * Issue 10, item 7: the four journeys — a citizen (register, search without diacritics, enroll,
 * learn through a network cut, certificate PDF), a trainer (roster CSV, attendance on a phone), an
 * enterprise manager (Excel CSV report, weekly compliance), a province admin (targets, KPI detail,
 * breakdown, CSV export) — plus keyboard use and the language switch. Every page visited is checked
 * with axe-core (no serious or critical violation) and at 360 px (no sideways scrolling); a console
 * error or an uncaught exception anywhere fails the test. Each journey leaves a screenshot of its
 * last step in test-artifacts/web/<journey>.png.
 *
 * Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium; `apt-get install -y chromium`): without
 * it the suite fails — it is never skipped.
 */
const CONTENT = join(__dirname, '../content');
const COURSE = 'dich-vu-cong-truc-tuyen';
const COURSE_TITLE = /Sử dụng dịch vụ công trực tuyến/;
const DAY = 86_400_000;
const JOURNEY_MS = 150_000;

interface QuizKey {
  id: string;
  questions: Array<{ prompt: string; type: string; answers: string[] }>;
}

/** The answer keys of a course's quizzes, lesson by lesson in course order (read from content/). */
function quizKeys(slug: string): QuizKey[] {
  const dir = join(CONTENT, 'courses', slug);
  const course = loadYaml(readFileSync(join(dir, 'course.yaml'), 'utf8')) as { modules: Array<{ lessons: string[] }> };
  const keys: QuizKey[] = [];
  for (const lesson of course.modules.flatMap((m) => m.lessons)) {
    const md = readFileSync(join(dir, 'lessons', `${lesson}.md`), 'utf8');
    const block = /```quiz\n([\s\S]*?)```/.exec(md);
    if (!block) continue;
    const quiz = loadYaml(block[1]) as {
      id: string;
      questions: Array<{
        prompt: string;
        type: string;
        answer?: boolean;
        items?: string[];
        options?: Array<{ text: string; correct?: boolean }>;
      }>;
    };
    keys.push({
      id: quiz.id,
      questions: quiz.questions.map((q) => ({
        prompt: q.prompt,
        type: q.type,
        answers:
          q.type === 'truefalse'
            ? [q.answer ? 'Đúng' : 'Sai']
            : q.type === 'ordering'
              ? (q.items ?? [])
              : (q.options ?? []).filter((o) => o.correct).map((o) => o.text),
      })),
    });
  }
  return keys;
}

/** Answers a quiz as a learner would: ticks the right labels, orders items with the Up buttons. */
async function answerQuiz(page: Page, key: QuizKey): Promise<void> {
  for (const q of key.questions) {
    const fieldset = page.locator('hc-quiz fieldset', { has: page.locator('legend', { hasText: q.prompt }) });
    await fieldset.waitFor();
    if (q.type === 'ordering') {
      for (let target = 0; target < q.answers.length; target++) {
        const text = q.answers[target];
        const current = (await fieldset.locator('ol.order li > span:first-child').allTextContents()).map((s) =>
          s.trim(),
        );
        const from = current.indexOf(text);
        if (from < 0) throw new Error(`ordering item "${text}" not shown (got ${JSON.stringify(current)})`);
        for (let i = from; i > target; i--) {
          await fieldset.getByRole('button', { name: `Chuyển lên: ${text}`, exact: true }).click();
        }
      }
      const final = (await fieldset.locator('ol.order li > span:first-child').allTextContents()).map((s) => s.trim());
      expect(final).toEqual(q.answers);
    } else {
      for (const answer of q.answers) await fieldset.getByLabel(answer, { exact: true }).check();
    }
  }
  await page.locator('hc-quiz').getByRole('button', { name: 'Nộp bài' }).click();
  await page.locator('hc-quiz .result').getByText('Bạn đã đạt bài kiểm tra.').waitFor({ timeout: 15_000 });
  expect(await page.locator('hc-quiz .result').textContent()).toMatch(/Điểm của bạn: 100%/);
}

/** A CSV file for an <input type=file>. */
const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

describe('the portal in a browser: journeys, accessibility, 360 px, keyboard, languages', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let ds: DataSource;
  let f: Factories;
  let provinceAdmin: Session;

  beforeAll(async () => {
    const step = stopwatch('setup');
    // Fresh bundles: the api serves the portal from dist/web.
    execFileSync(process.execPath, [join(__dirname, '../apps/web/build.mjs')], { stdio: 'pipe' });
    step('build dist/web');
    t = await createTestApp({ worker: true });
    // createTestApp does not listen (supertest binds its own ephemeral ports); the browser needs a real one.
    await t.app.listen(0, '127.0.0.1');
    step('boot the api');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const imported = await t.app.get(CourseImportService).importDirectory(CONTENT);
    expect(imported.counts.rejected).toBe(0);
    step('import content/');
    ds = t.app.get(DataSource);
    f = new Factories(t);
    provinceAdmin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: await f.province() });
    browser = await launchChromium();
    step('start chromium');
  }, 120_000);

  afterAll(async () => {
    writeAudits();
    await browser?.close();
    await t?.close();
  });

  /** A fresh browser profile with its console watched. */
  async function open(
    journey: string,
    options: Parameters<Browser['newContext']>[0] = VIETNAM,
  ): Promise<{ context: BrowserContext; page: Page; watch: ConsoleWatch }> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    return { context, page, watch: new ConsoleWatch(page, journey) };
  }

  it('the shell names its icon, so browsers do not ask for a missing /favicon.ico', async () => {
    const shell = await t.http().get('/').expect(200);
    const icon = /<link[^>]+rel="(shortcut )?icon"[^>]*>/.exec(shell.text);
    const favicon = await t.http().get('/favicon.ico');
    if (!icon && favicon.status !== 200) {
      throw new Error(
        'apps/web/public/index.html has no <link rel="icon"> and /favicon.ico answers ' +
          `${favicon.status}: Chromium then logs "Failed to load resource: 404" on portal pages`,
      );
    }
  });

  it(
    'citizen: registers, finds "dich vu cong" without diacritics, learns through a network cut, gets the certificate PDF',
    async () => {
      const journey = 'citizen';
      const keys = quizKeys(COURSE);
      expect(keys).toHaveLength(6);
      const step = stopwatch(journey);
      const soft = new SoftChecks();
      const { context, page, watch } = await open(journey);
      const email = `cong-dan-${randomBytes(4).toString('hex')}@example.vn`;
      const password = 'Học số mỗi ngày 2026!';
      try {
        // Register (the learning consent is required), signed in straight away, back on the catalogue.
        await page.goto(`${base}/register`);
        await heading(page, 'Đăng ký tài khoản');
        await checkPage(page, journey, 'register');
        await page.getByLabel('Họ và tên').fill('Nguyễn Thị Mai');
        await page.getByLabel('Email hoặc số điện thoại').fill(email);
        await page.getByLabel('Mật khẩu').fill(password);
        await page.getByLabel(/Tôi đồng ý để Học Số lưu kết quả học tập/).check();
        await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
        await page.waitForURL(`${base}/`);
        await heading(page, 'Khóa học kỹ năng số');
        await page.getByRole('link', { name: 'Khóa học của tôi' }).waitFor();
        step('register');

        // Search without diacritics.
        await page.getByLabel('Tìm khóa học').fill('dich vu cong');
        const result = page.locator('main').getByRole('link', { name: COURSE_TITLE });
        await result.waitFor({ timeout: 10_000 });
        await page.waitForURL(/\?q=dich\+vu\+cong$/);
        await checkPage(page, journey, 'catalogue (search)');
        await result.click();

        // Course page: enroll, then start. Parts are numbered from 1.
        await heading(page, COURSE_TITLE);
        await soft.check('course page: parts are numbered from 1', async () => {
          const first = (await page.locator('main h3').first().textContent())?.trim();
          if (first !== 'Phần 1: Chuẩn bị và đăng nhập an toàn') throw new Error(`the first part reads "${first}"`);
        });
        await checkPage(page, journey, 'course');
        await page.getByRole('button', { name: 'Đăng ký học' }).click();
        await page.getByText('Bạn đã đăng ký khóa học này.').waitFor();
        // Every lesson is fetched once in the background (the service worker keeps them).
        await page.getByText('Các bài học đã được lưu để học cả khi không có mạng.').waitFor({ timeout: 15_000 });
        await checkPage(page, journey, 'course (enrolled)');
        step('search, course, enroll');
        await page.getByRole('link', { name: 'Bắt đầu học' }).click();

        const sync = page.locator('hc-app header .sync');
        const onLesson = (n: number) =>
          page.locator('hc-quiz legend', { hasText: keys[n].questions[0].prompt }).waitFor({ timeout: 15_000 });
        for (let i = 0; i < keys.length; i++) {
          await onLesson(i);
          if (i === 0) {
            await soft.check('lesson page: parts are numbered from 1', async () => {
              const where = (await page.locator('main p.muted').first().textContent())?.replace(/\s+/g, ' ').trim();
              if (!where?.startsWith('Phần 1: Chuẩn bị và đăng nhập an toàn'))
                throw new Error(`lesson 1 reads "${where}"`);
            });
          }
          await checkPage(page, journey, `lesson ${i + 1}`);
          await answerQuiz(page, keys[i]);
          step(`lesson ${i + 1}`);
          if (i === 0) {
            // The network goes away mid-lesson: the lesson is completed on the device and the next
            // lesson opens from the service worker's copy.
            watch.offline = true;
            await context.setOffline(true);
            await sync.getByText('Ngoại tuyến — tiến độ được lưu trên máy').waitFor();
            await page.getByRole('button', { name: 'Hoàn thành và sang bài tiếp' }).click();
            await onLesson(1);
            await until(async () => (await pendingProgressEvents(page)) >= 2, 'progress was not kept on the device');
            await checkPage(page, journey, 'lesson 2 (offline)');
            await screenshot(page, 'citizen-offline');
            // Back online: the queue drains by itself and the indicator says so.
            await context.setOffline(false);
            await sync.getByText('Đã đồng bộ').waitFor({ timeout: 20_000 });
            await until(async () => (await pendingProgressEvents(page)) === 0, 'the queue did not drain', 20_000);
            watch.offline = false;
            const login = await t.http().post('/v1/auth/login').send({ identifier: email, password }).expect(200);
            const mine = await t
              .http()
              .get('/v1/me/enrollments')
              .set('Authorization', `Bearer ${login.body.accessToken}`)
              .expect(200);
            expect(mine.body.items).toEqual([expect.objectContaining({ courseSlug: COURSE, lessonsCompleted: 1 })]);
            // Lesson 2's quiz needs the server: answered now that the connection is back.
            i = 1;
            await answerQuiz(page, keys[i]);
            step('lesson 2 (offline, then back online)');
          }
          if (i === keys.length - 1) {
            await page.getByRole('button', { name: 'Hoàn thành bài học' }).click();
          } else {
            await page.getByRole('button', { name: 'Hoàn thành và sang bài tiếp' }).click();
          }
        }
        await page
          .getByRole('heading', { name: 'Chúc mừng! Bạn đã hoàn thành khóa học.' })
          .waitFor({ timeout: 15_000 });
        await checkPage(page, journey, 'lesson 6 (course completed)');
        step('course completed');
        await page.getByRole('link', { name: 'Xem chứng nhận của tôi' }).click();

        // The certificate is issued by the worker, asynchronously: reload the list until it is there.
        await heading(page, 'Chứng nhận của tôi');
        const pdf = page.getByRole('button', { name: /^Tải PDF: Sử dụng dịch vụ công trực tuyến/ });
        await until(
          async () => {
            if (await pdf.count()) return true;
            await page.getByRole('button', { name: 'Tải lại danh sách' }).click();
            await page.waitForTimeout(1000);
            return (await pdf.count()) > 0;
          },
          'no certificate on /me/certificates',
          30_000,
        );
        step('certificate issued');
        await checkPage(page, journey, 'certificates');
        const card = page.locator('main li.card').first();
        expect(await card.textContent()).toMatch(/Còn hiệu lực/);
        expect(await card.textContent()).toMatch(/Ngày cấp: \d{2}\/\d{2}\/\d{4}/);
        // Numbers as Vietnamese write them: 1,5 (not 1.5).
        const hours = ((await card.locator('li', { hasText: 'Số giờ học' }).textContent()) ?? '').trim();
        await soft.check('certificates page: learning hours in the Vietnamese number format', () => {
          if (!/^Số giờ học: \d+(,\d+)?$/.test(hours))
            throw new Error(`shows "${hours}" (expected e.g. "Số giờ học: 1,5")`);
        });
        const download = await clickForDownload(page, pdf);
        expect(download.suggestedFilename()).toMatch(/\.pdf$/);
        const bytes = await downloadBytes(download);
        expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
        step('PDF downloaded');
        await screenshot(page, journey);
        watch.assertClean();
        soft.assertNone();
      } finally {
        await context.close();
      }
    },
    JOURNEY_MS,
  );

  it(
    'trainer: uploads a roster CSV and sees each row, then takes attendance on a phone and it is stored',
    async () => {
      const journey = 'trainer';
      const step = stopwatch(journey);
      const soft = new SoftChecks();
      // The trainer (qualified by the province: the trainer role), their cohort and a session held
      // two hours ago — through the API, as the province and the trainer would.
      const commune = await f.commune(0);
      const trainerUser = await f.user({ roles: [Role.Learner], orgUnit: commune, fullName: 'Trần Văn Giảng' });
      await provinceAdmin.agent
        .post(`/v1/trainers/${trainerUser.id}/qualifications`)
        .send({ level: 'core' })
        .expect(201);
      const login = await t
        .http()
        .post('/v1/auth/login')
        .send({ identifier: trainerUser.email, password: TEST_PASSWORD })
        .expect(200);
      const asTrainer = () => t.http().set('Authorization', `Bearer ${login.body.accessToken}`);
      const title = `Lớp Bình dân học vụ số — xóm Đồng Tâm ${randomBytes(2).toString('hex')}`;
      const cohort = await asTrainer()
        .post('/v1/cohorts')
        .send({
          title,
          courseSlugs: [COURSE],
          kind: 'citizen',
          mode: 'in_person',
          startsOn: localDate(new Date(Date.now() - 5 * DAY)),
          endsOn: localDate(new Date(Date.now() + 30 * DAY)),
          capacity: 30,
          location: 'Nhà văn hóa xóm Đồng Tâm',
        })
        .expect(201);
      const cohortId = cohort.body.id as string;
      const held = await asTrainer()
        .post(`/v1/cohorts/${cohortId}/sessions`)
        .send({
          startsAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
          durationMinutes: 90,
          title: 'Buổi 1: cài VNeID',
        })
        .expect(201);
      const sessionId = held.body.id as string;
      const hoa = await f.user({ roles: [Role.Learner], orgUnit: commune, fullName: 'Lê Thị Hoa' });
      const binh = await f.user({ roles: [Role.Learner], orgUnit: commune, fullName: 'Phạm Văn Bình' });
      const phone = `091${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
      // As a commune office exports it from Excel: BOM, semicolons, CRLF, extra columns.
      const roster = [
        '\ufeffSTT;Họ và tên;Số điện thoại;Email;Ghi chú',
        `1;Lê Thị Hoa;;${hoa.email};`,
        `2;Phạm Văn Bình;;${binh.email};"Trưởng thôn; phụ trách"`,
        `3;Đỗ Minh Châu;${phone};;Người mới`,
        '4;Vũ Thị Dung;;khong-phai-email;Sai email',
        '',
      ].join('\r\n');
      step('set-up through the API');

      const { context, page, watch } = await open(journey);
      let phoneContext: BrowserContext | undefined;
      try {
        await signInThroughForm(page, base, journey, trainerUser.email as string, TEST_PASSWORD, '/trainer');
        await heading(page, 'Lớp học của tôi');
        await page.getByRole('link', { name: title }).waitFor();
        await checkPage(page, journey, 'trainer cohorts');
        await page.getByRole('link', { name: title }).click();
        await heading(page, title);
        await page.getByRole('heading', { name: 'Danh sách học viên' }).waitFor();
        await checkPage(page, journey, 'cohort');
        step('sign in, cohorts, cohort');

        await page.getByLabel('Tệp danh sách (CSV)').setInputFiles(csvFile('danh-sach-lop.csv', roster));
        await page.getByRole('button', { name: 'Tải lên danh sách' }).click();
        const summary = page
          .locator('main')
          .getByText(/^\s*Đã thêm 3, danh sách chờ 0, đã có trong lớp 0, bị từ chối 1/);
        await summary.waitFor({ timeout: 15_000 });
        expect(await summary.textContent()).toMatch(/mời tạo tài khoản 1\./);
        const results = page.locator('table', { has: page.locator('caption', { hasText: 'Kết quả từng dòng' }) });
        const rows = results.locator('tbody tr');
        expect(await rows.count()).toBe(4);
        expect(await rows.nth(0).textContent()).toMatch(/2\s*Lê Thị Hoa\s*Đã thêm\s*Tài khoản sẵn có/);
        expect(await rows.nth(2).textContent()).toMatch(/4\s*Đỗ Minh Châu\s*Đã thêm\s*Đã gửi lời mời tạo tài khoản/);
        expect(await rows.nth(3).textContent()).toMatch(/5\s*Vũ Thị Dung\s*Bị từ chối/);
        // The members list shows the three people (reloaded after the upload).
        await page.locator('main').getByRole('cell', { name: 'Đỗ Minh Châu' }).first().waitFor();
        await checkPage(page, journey, 'cohort (roster uploaded)');
        await screenshot(page, 'trainer-roster');
        step('roster CSV');

        // Attendance on a phone, signed in as the same trainer.
        phoneContext = await browser.newContext({ ...PHONE, storageState: await context.storageState() });
        const mobile = await phoneContext.newPage();
        const mobileWatch = new ConsoleWatch(mobile, `${journey} (phone)`);
        await mobile.goto(`${base}/trainer/cohorts/${cohortId}/sessions/${sessionId}`);
        await heading(mobile, 'Điểm danh');
        await mobile.getByText(title).first().waitFor();
        const member = (name: string) =>
          mobile.locator('main fieldset', { has: mobile.locator('legend', { hasText: name }) });
        await member('Đỗ Minh Châu').waitFor();
        await checkPage(mobile, journey, 'attendance (phone)');
        const marks: Array<[string, string, string]> = [
          ['Lê Thị Hoa', 'Có mặt', 'present'],
          ['Phạm Văn Bình', 'Muộn', 'late'],
          ['Đỗ Minh Châu', 'Vắng', 'absent'],
        ];
        for (const [name, label] of marks) {
          const choice = member(name).getByRole('radio', { name: label });
          await choice.tap();
          expect(await choice.isChecked()).toBe(true);
        }
        await mobile.getByText('Có mặt 1 · Muộn 1 · Vắng 1 · Chưa điểm danh 0').waitFor();
        // Big targets: each choice is at least 44 px high.
        const box = await member('Lê Thị Hoa').getByRole('radio', { name: 'Có mặt' }).boundingBox();
        expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
        await mobile.getByRole('button', { name: 'Lưu điểm danh' }).tap();
        await mobile.getByText('Đã gửi điểm danh lên máy chủ.').waitFor({ timeout: 15_000 });
        await checkPage(mobile, journey, 'attendance (phone, saved)');
        step('attendance on a phone');

        // Stored: the API has the three marks.
        const stored = await asTrainer().get(`/v1/cohorts/${cohortId}/sessions/${sessionId}/attendance`).expect(200);
        const byName = Object.fromEntries(
          (stored.body as Array<{ fullName: string; status: string | null }>).map((r) => [r.fullName, r.status]),
        );
        expect(byName).toMatchObject({ 'Lê Thị Hoa': 'present', 'Phạm Văn Bình': 'late', 'Đỗ Minh Châu': 'absent' });
        await screenshot(mobile, journey);
        mobileWatch.assertClean();
        watch.assertClean();
        soft.assertNone();
      } finally {
        await phoneContext?.close();
        await context.close();
      }
    },
    JOURNEY_MS,
  );

  it(
    'enterprise: a manager uploads an Excel CSV (BOM, semicolons, Vietnamese headers), sees each row and the weekly compliance',
    async () => {
      const journey = 'enterprise';
      const step = stopwatch(journey);
      const soft = new SoftChecks();
      // Province → park → enterprise → its five workers, through the API.
      const park = await provinceAdmin.agent
        .post('/v1/industrial-parks')
        .send({ name: 'KCN Yên Bình', code: `KCN-${randomBytes(4).toString('hex')}` })
        .expect(201);
      const name = `Công ty TNHH Điện tử Thử nghiệm ${randomBytes(2).toString('hex')}`;
      const enterprise = await provinceAdmin.agent
        .post('/v1/enterprises')
        .send({
          name,
          taxCode: `46${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
          industrialParkId: park.body.id,
          ownership: 'fdi',
        })
        .expect(201);
      const enterpriseId = enterprise.body.id as string;
      const key = await provinceAdmin.agent
        .post(`/v1/enterprises/${enterpriseId}/api-keys`)
        .set('Idempotency-Key', randomUUID())
        .send({ name: 'HRM' })
        .expect(201);
      const names = ['Nguyễn Văn An', 'Lê Thị Cúc', 'Phạm Văn Dũng', 'Hoàng Thị Em', 'Vũ Văn Phúc'];
      await t
        .http()
        .put(`/v1/enterprises/${enterpriseId}/workers`)
        .set('X-Api-Key', key.body.key)
        .send({ workers: names.map((displayName, i) => ({ workerCode: `NV00${i + 1}`, displayName })) })
        .expect(200);
      const [unit] = await ds.query(`SELECT * FROM org_unit WHERE id = $1`, [enterpriseId]);
      const manager = await f.user({ roles: [Role.EnterpriseManager], orgUnit: unit, fullName: 'Đặng Thị Quản' });
      // This week's training, as the HR office exports it from Excel: two workers reach 60 minutes,
      // one does not, one code is unknown, one date does not exist.
      const today = localDate(new Date());
      const dmy = `${today.slice(8, 10)}/${today.slice(5, 7)}/${today.slice(0, 4)}`;
      const report = [
        '\ufeffSTT;Mã NV;Họ và tên;Ngày;Số phút;Nội dung;Giảng viên',
        `1;NV001;"Nguyễn Văn An";${dmy};60;"An toàn thông tin, bảo mật cơ bản";"Trần Thị Bình"`,
        `2;nv002;"Lê Thị Cúc";${dmy};90;"Dịch vụ công ""trực tuyến"", phần 1";`,
        `3;NV003;"Phạm Văn Dũng";${dmy};30;"Ví điện tử; thanh toán";`,
        `4;NV999;"Người lạ";${dmy};60;"Không có trong danh sách";`,
        `5;NV004;"Hoàng Thị Em";31/02/${today.slice(0, 4)};60;"Ngày không tồn tại";`,
        '',
      ].join('\r\n');
      step('set-up through the API');

      const { context, page, watch } = await open(journey);
      try {
        await signInThroughForm(page, base, journey, manager.email as string, TEST_PASSWORD, '/enterprise');
        await heading(page, name);
        await page.getByRole('heading', { name: 'Tuân thủ theo tuần' }).waitFor();
        await page.getByRole('cell', { name: 'Vũ Văn Phúc' }).first().waitFor();
        await checkPage(page, journey, 'enterprise');
        step('sign in, enterprise page');

        await page.getByLabel('Tệp báo cáo (CSV)').setInputFiles(csvFile('dao-tao-tuan-nay.csv', report));
        await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
        const result = page.locator('#report-result');
        await result.getByText('Đã xử lý xong.').waitFor({ timeout: 30_000 });
        expect(await result.textContent()).toMatch(/Tổng 5 dòng: nhận 3, từ chối 2\./);
        const rejected = result.locator('table', { has: page.locator('caption', { hasText: 'Các dòng bị từ chối' }) });
        const rows = rejected.locator('tbody tr');
        expect(await rows.count()).toBe(2);
        expect(await rows.nth(0).textContent()).toMatch(/^\s*5\s/);
        expect(await rows.nth(0).textContent()).toContain('NV999');
        expect(await rows.nth(1).textContent()).toMatch(/^\s*6\s/);
        step('report processed');

        // The week is recomputed by the worker: refresh until it shows 2 of 5 covered.
        const coverage = page.getByText(/\(2\/5 người\)/);
        await until(
          async () => {
            if (await coverage.count()) return true;
            await page.getByRole('button', { name: 'Làm mới' }).click();
            await page.waitForTimeout(1000);
            return (await coverage.count()) > 0;
          },
          'the weekly compliance never showed 2 of 5 workers covered',
          30_000,
        );
        await soft.check('coverage as a Vietnamese percentage', async () =>
          expect(await coverage.textContent()).toMatch(/40%\s*\(2\/5 người\)/),
        );
        await page.getByText('Chưa đạt yêu cầu tuần này').waitFor();
        const short = page.locator('table', { has: page.locator('th', { hasText: 'Doanh nghiệp báo cáo' }) });
        await short.getByRole('cell', { name: 'Phạm Văn Dũng' }).waitFor();
        expect(await short.locator('tbody tr', { hasText: 'NV003' }).textContent()).toMatch(
          /NV003\s*Phạm Văn Dũng\s*30/,
        );
        await checkPage(page, journey, 'enterprise (report and compliance)');
        step('weekly compliance');
        await screenshot(page, journey);
        watch.assertClean();
        soft.assertNone();
      } finally {
        await context.close();
      }
    },
    JOURNEY_MS,
  );

  it(
    'admin: a province admin sees the targets (one share with an uploaded denominator), a KPI detail, another breakdown and a CSV with a BOM',
    async () => {
      const journey = 'admin';
      const step = stopwatch(journey);
      const soft = new SoftChecks();
      const province = await f.province();
      const admin = await f.user({ roles: [Role.ProvinceAdmin], orgUnit: province, fullName: 'Bùi Văn Tỉnh' });
      // The province's population statistics for this year: the shares get a denominator.
      const year = localDate(new Date()).slice(0, 4);
      await provinceAdmin.agent
        .put('/v1/population-stats')
        .send({
          rows: [
            {
              orgUnitCode: province.code,
              period: year,
              population: 812_345,
              workingAge: 523_456,
              aiTargetAge: 601_234,
              source: 'Niên giám thống kê',
              sourceDate: `${year}-01-15`,
            },
          ],
        })
        .expect(200);
      step('set-up through the API');

      const { context, page, watch } = await open(journey);
      try {
        await signInThroughForm(page, base, journey, admin.email as string, TEST_PASSWORD, '/admin');
        await heading(page, 'Bảng chỉ tiêu');
        await page.getByRole('heading', { name: 'Mục tiêu của tỉnh' }).waitFor({ timeout: 15_000 });
        const cards = page.locator('main article.kpi');
        expect(await cards.count()).toBeGreaterThan(0);
        // At least one share now has the uploaded denominator (as Vietnamese write it: 812.345).
        const withDenominator = cards.filter({ hasText: /\/ (812\.345|523\.456|601\.234)/ });
        await withDenominator.first().waitFor({ timeout: 10_000 });
        await checkPage(page, journey, 'dashboard');
        step('sign in, dashboard');

        // The dashboard's CSV starts with the UTF-8 BOM (Excel reads it as UTF-8).
        const dashboardCsv = await clickForDownload(page, page.getByRole('button', { name: 'Tải CSV bảng chỉ tiêu' }));
        expect((await downloadBytes(dashboardCsv)).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

        // The detail of a target with several breakdowns: trainers of the training-of-trainers cascade.
        const link = page.locator('main article.kpi h3 a[href^="/admin/kpis/TOT_TRAINERS"]');
        const label = ((await link.textContent()) ?? '').trim();
        await link.click();
        await page.waitForURL(/\/admin\/kpis\/TOT_TRAINERS/);
        await heading(page, label);
        await page.getByRole('heading', { name: 'Chi tiết' }).waitFor();
        const by = page.getByLabel('Chi tiết theo');
        const caption = page.locator('#breakdown-caption');
        await caption.waitFor({ timeout: 15_000 });
        await checkPage(page, journey, 'KPI detail');
        step('KPI detail');

        // Another breakdown.
        const options: Array<{ value: string; text: string }> = [];
        for (const option of await by.locator('option').all()) {
          options.push({
            value: (await option.getAttribute('value')) ?? '',
            text: ((await option.textContent()) ?? '').trim(),
          });
        }
        const current = await by.inputValue();
        const other = options.find((o) => o.value !== current);
        if (!other) throw new Error(`only one breakdown offered: ${JSON.stringify(options)}`);
        await by.selectOption(other.value);
        const escaped = other.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        await caption.filter({ hasText: new RegExp(escaped, 'i') }).waitFor({ timeout: 15_000 });
        await checkPage(page, journey, 'KPI detail (other breakdown)');

        // Its CSV: starts with the BOM, semicolons (Excel in a Vietnamese locale).
        const download = await clickForDownload(page, page.getByRole('button', { name: 'Tải CSV chi tiết' }));
        expect(download.suggestedFilename()).toMatch(new RegExp(`-${other.value}-.*\\.csv$`));
        const bytes = await downloadBytes(download);
        expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
        expect(bytes.toString('utf8').split(/\r?\n/)[0]).toContain(';');
        await page.getByText(/Đã tải xuống tệp/).waitFor();
        step('breakdown and CSV');

        // People and units: reached from the header, accessible like every page.
        await page.getByRole('link', { name: 'Người dùng', exact: true }).click();
        await page.waitForURL(/\/admin\/people$/);
        await heading(page, 'Người dùng và đơn vị');
        await page.getByRole('button', { name: 'Thêm đơn vị' }).waitFor();
        await page.getByRole('button', { name: 'Tạo tài khoản' }).waitFor();
        await checkPage(page, journey, 'people and units');
        step('people and units');
        await screenshot(page, journey);
        watch.assertClean();
        soft.assertNone();
      } finally {
        await context.close();
      }
    },
    JOURNEY_MS,
  );

  it(
    'keyboard: Tab reaches the skip link first, the skip link leads to the search; focus is visible',
    async () => {
      const journey = 'keyboard';
      const soft = new SoftChecks();
      const { context, page, watch } = await open(journey);
      try {
        await page.goto(`${base}/`);
        await heading(page, 'Khóa học kỹ năng số');
        await page.locator('main li.card').first().waitFor();
        // The focused element, through shadow roots, with its focus ring.
        const focused = () =>
          page.evaluate(`(() => {
            let el = document.activeElement;
            while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
            const s = getComputedStyle(el);
            return { tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || '').trim(),
              label: el.getAttribute('aria-label'), outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
              visible: el.getBoundingClientRect().left >= 0 };
          })()`) as Promise<{
            tag: string;
            id: string;
            text: string;
            label: string | null;
            outlineStyle: string;
            outlineWidth: number;
            visible: boolean;
          }>;
        await page.keyboard.press('Tab');
        let skip = await focused();
        await soft.check('the first Tab after loading a page reaches the skip link', () => {
          if (skip.text !== 'Bỏ qua, đến nội dung chính') {
            throw new Error(
              `it reached <${skip.tag}${skip.id ? `#${skip.id}` : ''}> "${skip.text.slice(0, 40)}" instead`,
            );
          }
        });
        // (When focus was moved into the page at start-up, Shift+Tab walks back up to the skip link.)
        for (let i = 0; i < 20 && skip.text !== 'Bỏ qua, đến nội dung chính'; i++) {
          await page.keyboard.press('Shift+Tab');
          skip = await focused();
        }
        expect(skip).toMatchObject({ tag: 'a', text: 'Bỏ qua, đến nội dung chính', visible: true });
        expect(skip.outlineStyle).not.toBe('none');
        expect(skip.outlineWidth).toBeGreaterThanOrEqual(2);
        await page.keyboard.press('Enter');
        await page.keyboard.press('Tab');
        const search = await focused();
        expect(search).toMatchObject({ tag: 'input', id: 'q' });
        expect(search.outlineStyle).not.toBe('none');
        expect(search.outlineWidth).toBeGreaterThanOrEqual(2);
        // Typing searches (no mouse anywhere).
        await page.keyboard.type('an toan');
        await page.waitForURL(/\?q=an\+toan$/);
        await page.locator('main li.card').first().waitFor();
        await checkPage(page, journey, 'catalogue (keyboard)');
        await screenshot(page, journey);
        watch.assertClean();
        soft.assertNone();
      } finally {
        await context.close();
      }
    },
    JOURNEY_MS,
  );

  it(
    'language switch: English labels appear and stay after a reload',
    async () => {
      const journey = 'language';
      const { context, page, watch } = await open(journey);
      try {
        await page.goto(`${base}/`);
        await heading(page, 'Khóa học kỹ năng số');
        await page.getByRole('button', { name: 'Switch to English' }).click();
        await heading(page, 'Digital skills courses');
        expect(await page.evaluate('document.documentElement.lang')).toBe('en');
        await page.getByLabel('Search courses').waitFor();
        await page
          .getByRole('navigation', { name: 'Main navigation' })
          .getByRole('link', { name: 'Courses' })
          .waitFor();
        await page.getByRole('link', { name: 'Sign in' }).waitFor();
        await page
          .locator('main')
          .getByRole('link', { name: /Using online public services/ })
          .waitFor();
        await checkPage(page, journey, 'catalogue (English)');
        await page.reload();
        await heading(page, 'Digital skills courses');
        await page.goto(`${base}/register`);
        await heading(page, 'Create an account');
        await checkPage(page, journey, 'register (English)');
        await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
        await heading(page, 'Đăng ký tài khoản');
        await screenshot(page, journey);
        watch.assertClean();
      } finally {
        await context.close();
      }
    },
    JOURNEY_MS,
  );
});
