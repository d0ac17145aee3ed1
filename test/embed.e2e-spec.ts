import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Role } from '@hocso/common';
import { CourseImportService } from '@hocso/courses';
import { IntegratorsService, XapiExportService } from '@hocso/embed';
import { createSession, createTestApp, Factories, type Session, type TestApp } from '@hocso/testing';
import { DataSource } from 'typeorm';
import { completeCourse } from './cohort-helpers';

const FIXTURE = join(__dirname, 'fixtures/cohort-content');
const COURSE = 'lop-thu-nghiem';
const BASE = 'https://hocso.thainguyen.gov.vn';
const PORTAL = 'https://phubinh.thainguyen.gov.vn';

describe('embedding: integrators, embed pages, oEmbed, content API, xAPI export', () => {
  let t: TestApp;
  let admin: Session;
  let integratorId: string;
  let apiKey: string;
  let lessonId: string;

  beforeAll(async () => {
    t = await createTestApp({
      env: { PUBLIC_URL: BASE, CONTENT_API_RATE_PER_MINUTE: '5', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    expect((await t.app.get(CourseImportService).importDirectory(FIXTURE)).counts.rejected).toBe(0);
    admin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: await new Factories(t).province() });
    const created = await admin.agent
      .post('/v1/integrators')
      .send({
        name: 'Cổng thông tin xã Phú Bình',
        contactEmail: 'CNTT@PhuBinh.gov.vn',
        allowedOrigins: [`${PORTAL}/`, 'https://*.truong.edu.vn'],
      })
      .expect(201);
    integratorId = created.body.id;
    expect(created.body).toMatchObject({
      contactEmail: 'cntt@phubinh.gov.vn',
      allowedOrigins: [PORTAL, 'https://*.truong.edu.vn'],
      lrs: null,
    });
    const key = await admin.agent
      .post(`/v1/integrators/${integratorId}/api-keys`)
      .set('Idempotency-Key', 'k-1')
      .send({ name: 'Máy chủ cổng xã', scopes: ['content:read', 'xapi:read'] })
      .expect(201);
    apiKey = key.body.key;
    const outline = (await t.http().get(`/v1/courses/${COURSE}`).expect(200)).body;
    lessonId = outline.modules[0].lessons[0].id;
  });
  afterAll(() => t.close());

  it('refuses bad origins, naming the field, and non-admins', async () => {
    for (const bad of ['*', 'https://*', 'https://a.vn/path', 'ftp://a.vn', 'https://*.vn', 'https://a.*.vn']) {
      const res = await admin.agent
        .post('/v1/integrators')
        .send({ name: 'Thử', contactEmail: 'a@b.vn', allowedOrigins: ['https://ok.vn', bad] })
        .expect(400);
      expect([bad, res.body.code, res.body.errors[0].field]).toEqual([bad, 'ORIGIN_INVALID', 'allowedOrigins.1']);
    }
    const learner = await createSession(t, { roles: [Role.Learner] });
    await learner.agent
      .post('/v1/integrators')
      .send({ name: 'Thử', contactEmail: 'a@b.vn', allowedOrigins: ['https://ok.vn'] })
      .expect(403);
    await learner.agent.get(`/v1/integrators/${integratorId}`).expect(403);
  });

  it('lets registered origins (exact and subdomain form) through CORS, and no one else', async () => {
    const ok = await t.http().get('/v1/content/courses').set('Origin', PORTAL).expect(200);
    expect(ok.headers['access-control-allow-origin']).toBe(PORTAL);
    const sub = await t.http().get('/v1/content/courses').set('Origin', 'https://thpt.truong.edu.vn').expect(200);
    expect(sub.headers['access-control-allow-origin']).toBe('https://thpt.truong.edu.vn');
    for (const hostile of [
      'https://evil.example',
      'https://truong.edu.vn',
      'http://phubinh.thainguyen.gov.vn',
      'null',
    ]) {
      const res = await t.http().get('/v1/content/courses').set('Origin', hostile);
      expect([hostile, res.headers['access-control-allow-origin']]).toEqual([hostile, undefined]);
    }
    const preflight = await t
      .http()
      .options('/v1/content/courses')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves embed pages only to registered frame ancestors, with oEmbed discovery', async () => {
    const page = await t.http().get(`/embed/courses/${COURSE}?i=${integratorId}`).expect(200);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain(`frame-ancestors https://*.truong.edu.vn ${PORTAL}`);
    expect(csp).not.toContain('frame-ancestors *');
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(page.text).toContain('<link rel="alternate" type="application/json+oembed"');
    expect(page.text).toContain('Lớp học cộng đồng — thử nghiệm');
    expect(page.text).toContain(`/embed/lessons/${lessonId}?i=${integratorId}&amp;lang=vi`);
    const lesson = await t.http().get(`/embed/lessons/${lessonId}`).expect(200);
    expect(lesson.text).toContain('data-quiz-id="kiem-tra-lop-thu-nghiem"');
    expect(lesson.text).toContain('<script src="/embed/v1/player.js"');
    // Quiz answer keys never reach the page.
    expect(lesson.text).not.toMatch(/correct|answer/i);
    // An unknown integrator id frames nowhere.
    const nobody = await t.http().get(`/embed/courses/${COURSE}?i=00000000-0000-4000-8000-000000000000`).expect(200);
    expect(nobody.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    await t.http().get('/embed/lessons/00000000-0000-4000-8000-000000000000').expect(404);
    await t.http().get('/embed/courses/khong-ton-tai').expect(404);
    const en = await t.http().get(`/embed/courses/${COURSE}?lang=en`).expect(200);
    expect(en.text).toContain('Community class — trial');
  });

  it('answers oEmbed for course and lesson URLs, honours maxwidth/maxheight, 404 and 501', async () => {
    const course = await t
      .http()
      .get('/oembed')
      .query({ url: `${BASE}/courses/${COURSE}`, format: 'json' })
      .expect(200);
    expect(course.body).toMatchObject({
      version: '1.0',
      type: 'rich',
      provider_name: 'Học Số',
      provider_url: BASE,
      title: 'Lớp học cộng đồng — thử nghiệm',
      width: 640,
      height: 420,
      cache_age: 3600,
      thumbnail_url: `${BASE}/embed/thumbnails/${COURSE}.svg`,
    });
    expect(course.body.html).toContain(`<iframe src="${BASE}/embed/courses/${COURSE}"`);
    const small = await t
      .http()
      .get('/oembed')
      .query({ url: `${BASE}/embed/lessons/${lessonId}`, maxwidth: 320 })
      .expect(200);
    expect(small.body).toMatchObject({ width: 320, height: 240 });
    expect(small.body.html).toContain(`/embed/lessons/${lessonId}`);
    const short = await t
      .http()
      .get('/oembed')
      .query({ url: `${BASE}/lessons/${lessonId}`, maxheight: 120 })
      .expect(200);
    expect(short.body.height).toBeLessThanOrEqual(120);
    expect(short.body.width).toBeLessThanOrEqual(640);
    await t
      .http()
      .get('/oembed')
      .query({ url: `${BASE}/courses/khong-ton-tai` })
      .expect(404);
    await t
      .http()
      .get('/oembed')
      .query({ url: `https://evil.example/courses/${COURSE}` })
      .expect(404);
    await t.http().get('/oembed').query({ url: 'not a url' }).expect(404);
    const xml = await t
      .http()
      .get('/oembed')
      .query({ url: `${BASE}/courses/${COURSE}`, format: 'xml' })
      .expect(501);
    expect(xml.body.code).toBe('OEMBED_FORMAT_UNSUPPORTED');
    const svg = await t.http().get(`/embed/thumbnails/${COURSE}.svg`).expect(200);
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
  });

  it('content API: catalogue shapes, lesson by id, materials, ETag 304, per-key 429 with Retry-After, usage counted', async () => {
    const list = await t.http().get('/v1/content/courses?limit=1').set('X-Api-Key', apiKey).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    const next = await t
      .http()
      .get(`/v1/content/courses?limit=1&cursor=${list.body.nextCursor}`)
      .set('X-Api-Key', apiKey)
      .expect(200);
    expect(next.body.items[0].slug).not.toBe(list.body.items[0].slug);
    const lesson = await t.http().get(`/v1/content/lessons/${lessonId}`).set('X-Api-Key', apiKey).expect(200);
    expect(lesson.body).toMatchObject({ id: lessonId, course: { slug: COURSE } });
    expect(JSON.stringify(lesson.body)).not.toContain('"correct"');
    const etag = lesson.headers.etag;
    await t
      .http()
      .get(`/v1/content/lessons/${lessonId}`)
      .set('X-Api-Key', apiKey)
      .set('If-None-Match', etag)
      .expect(304);
    // The key's budget is 5 a minute in this test: the 6th answers 429.
    await t.http().get('/v1/content/materials').set('X-Api-Key', apiKey).expect(200);
    const limited = await t.http().get('/v1/content/materials').set('X-Api-Key', apiKey).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.code).toBe('RATE_LIMITED');
    // Without a key the (larger) per-IP budget applies.
    const materials = await t.http().get(`/v1/content/materials?courseSlug=${COURSE}`).expect(200);
    expect(materials.body).toEqual({ items: [], nextCursor: null });
    const bad = await t.http().get('/v1/content/courses').set('X-Api-Key', 'hk_000000000000_nope').expect(401);
    expect(bad.body.code).toBe('API_KEY_INVALID');
    await new Promise((r) => setTimeout(r, 200));
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    await admin.agent.get(`/v1/integrators/${integratorId}/usage?from=2026-13-45&to=${today}`).expect(400);
    const usage = await admin.agent.get(`/v1/integrators/${integratorId}/usage?from=${today}&to=${today}`).expect(200);
    expect(usage.body).toContainEqual(expect.objectContaining({ kind: 'content_api', count: expect.any(Number) }));
    expect(usage.body.find((u: { kind: string }) => u.kind === 'embed_view')?.count).toBeGreaterThanOrEqual(1);
  });

  it('xAPI: the integrator reads only its learners’ statements, filtered and paged with `more`', async () => {
    const mine = await createSession(t, { roles: [Role.Learner] });
    const other = await createSession(t, { roles: [Role.Learner] });
    await t.app.get(IntegratorsService).recordLearner(integratorId, mine.user.id, 'embed');
    for (const s of [mine, other]) {
      await s.agent.post('/v1/enrollments').send({ courseSlug: COURSE }).expect(201);
      await completeCourse(t, s, COURSE);
    }
    const key2 = await admin.agent
      .post(`/v1/integrators/${integratorId}/api-keys`)
      .set('Idempotency-Key', 'k-2')
      .send({ name: 'LRS đọc', scopes: ['xapi:read'] })
      .expect(201);
    const get = (q: string) => t.http().get(`/v1/xapi/statements${q}`).set('X-Api-Key', key2.body.key).expect(200);
    const all = await get('?limit=500');
    expect(all.headers['x-experience-api-version']).toBe('2.0.0');
    const actors = new Set(
      all.body.statements.map((s: { actor: { account: { name: string } } }) => s.actor.account.name),
    );
    expect([...actors]).toEqual([mine.user.id]);
    const total = all.body.statements.length;
    expect(total).toBeGreaterThanOrEqual(3);
    // Paging: 2 at a time, following `more`, gives the same statements in the same order.
    const seen: string[] = [];
    let next = '/v1/xapi/statements?limit=2';
    while (next) {
      const page = await t.http().get(next).set('X-Api-Key', key2.body.key).expect(200);
      seen.push(...page.body.statements.map((s: { id: string }) => s.id));
      next = page.body.more;
    }
    expect(seen).toEqual(all.body.statements.map((s: { id: string }) => s.id));
    const completed = await get(`?verb=${encodeURIComponent('http://adlnet.gov/expapi/verbs/completed')}`);
    expect(completed.body.statements.length).toBeGreaterThanOrEqual(1);
    const byAgent = await get(
      `?agent=${encodeURIComponent(JSON.stringify({ account: { homePage: BASE, name: other.user.id } }))}`,
    );
    expect(byAgent.body.statements).toEqual([]);
    await t.http().get('/v1/xapi/statements?since=yesterday').set('X-Api-Key', key2.body.key).expect(400);
    const forged = Buffer.from(JSON.stringify({ v: 'x', id: 'y' })).toString('base64url');
    await t.http().get(`/v1/xapi/statements?cursor=${forged}`).set('X-Api-Key', key2.body.key).expect(400);
    await t.http().get('/v1/xapi/statements?since=-271821-04-20T00:00:00Z').set('X-Api-Key', key2.body.key).expect(400);
    const dashes = encodeURIComponent(JSON.stringify({ account: { homePage: BASE, name: '-'.repeat(36) } }));
    expect((await get(`?agent=${dashes}`)).body.statements).toEqual([]);
    await mine.agent.get('/v1/xapi/statements').expect(403);
  });

  it('forwards statements to the integrator’s LRS once each, and records failures', async () => {
    const received: unknown[][] = [];
    let fail = true;
    const lrs: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (fail) {
          res.writeHead(503).end();
          return;
        }
        expect(req.headers['x-experience-api-version']).toBe('2.0.0');
        expect(req.headers.authorization).toBe('Basic dGVzdDp0ZXN0');
        received.push(JSON.parse(body));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('[]');
      });
    });
    await new Promise<void>((r) => lrs.listen(0, '127.0.0.1', r));
    try {
      const port = (lrs.address() as AddressInfo).port;
      await admin.agent
        .patch(`/v1/integrators/${integratorId}`)
        .send({ lrs: { endpoint: `http://127.0.0.1:${port}/xapi/statements`, authorization: 'Basic dGVzdDp0ZXN0' } })
        .expect(200);
      // Let the settle window pass for the statements already stored.
      await t.app.get(DataSource).query(`UPDATE xapi_statement SET stored = stored - interval '10 seconds'`);
      const xapi = t.app.get(XapiExportService);
      expect(await xapi.forward(integratorId)).toMatchObject({ failed: 1, sent: 0 });
      const failed = (await admin.agent.get(`/v1/integrators/${integratorId}`).expect(200)).body;
      expect(failed.lrs).toMatchObject({ lastError: 'LRS answered 503', sent: 0 });
      fail = false;
      const first = await xapi.forward(integratorId);
      expect(first.sent).toBeGreaterThanOrEqual(3);
      expect(await xapi.forward(integratorId)).toMatchObject({ sent: 0, failed: 0 });
      const ids = received.flat().map((s) => (s as { id: string }).id);
      expect(new Set(ids).size).toBe(ids.length);
      const ok = (await admin.agent.get(`/v1/integrators/${integratorId}`).expect(200)).body;
      expect(ok.lrs).toMatchObject({ lastError: null, sent: first.sent });
      expect(JSON.stringify(ok)).not.toContain('dGVzdDp0ZXN0');
    } finally {
      lrs.close();
    }
  });
});
