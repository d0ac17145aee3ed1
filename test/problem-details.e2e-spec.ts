import { createTestApp, type TestApp } from '@hocso/testing';

/** Every client mistake is an RFC 9457 problem document: right status, stable code, field, language. */
describe('errors are problem+json, never a 500 or a stack trace', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(() => t.close());

  function expectProblem(
    res: { status: number; headers: Record<string, string>; body: Record<string, unknown>; text: string },
    status: number,
    code: string,
  ) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code, type: expect.stringMatching(/^urn:hocso:problem:/) });
    expect(typeof res.body.title).toBe('string');
    expect(typeof res.body.detail).toBe('string');
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
  }

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"identifier": "a",');
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('empty JSON body → 400', async () => {
    const res = await t.http().post('/v1/auth/login').set('Content-Type', 'application/json').send('');
    expectProblem(res, 400, 'EMPTY_BODY');
  });

  it('wrong types → 400 VALIDATION_FAILED naming each field, in Vietnamese by default', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .send({ identifier: 42, password: ['x'] });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    const fields = (res.body.errors as Array<{ field: string; message: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['identifier', 'password']));
    expect(res.headers['content-language']).toBe('vi');
    expect(res.body.errors).toContainEqual({ field: 'identifier', message: 'Phải là chuỗi ký tự.' });
  });

  it('the same in English with Accept-Language: en', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .set('Accept-Language', 'en-GB,en;q=0.9,vi;q=0.5')
      .send({ identifier: 42, password: 'x' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.headers['content-language']).toBe('en');
    expect(res.body.title).toBe('The request data is not valid.');
    expect(res.body.errors).toContainEqual({ field: 'identifier', message: 'identifier must be a string' });
  });

  it('unknown fields (mass assignment) → 400 naming the field', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .send({ identifier: 'a@b.vn', password: 'xxxxxxxx', roles: ['province_admin'] });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toContainEqual({ field: 'roles', message: 'Trường này không được phép gửi lên.' });
  });

  it('nested fields are named with a dotted path', async () => {
    const res = await t
      .http()
      .post('/v1/auth/register')
      .send({ email: 'n@b.vn', password: 'một hai ba bốn', fullName: 'A', consents: { learning: 'yes' } });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'consents.learning' }));
  });

  it('a JSON array or a string where an object is expected → 400, not 500', async () => {
    expectProblem(await t.http().post('/v1/auth/login').send([1, 2]), 400, 'VALIDATION_FAILED');
    expectProblem(
      await t.http().post('/v1/auth/login').set('Content-Type', 'application/json').send('"text"'),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.http().post('/v1/auth/login').set('Content-Type', 'application/json').send('null'),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('prototype-pollution keys have no effect', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(
        '{"identifier":"a@b.vn","password":"xxxxxxxx","__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}',
      );
    expect([400, 401]).toContain(res.status);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('oversize body → 413', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .send({ identifier: 'a@b.vn', password: 'x'.repeat(5000) });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('wrong content type → 415', async () => {
    expectProblem(
      await t.http().post('/v1/auth/login').set('Content-Type', 'text/plain').send('identifier=a'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectProblem(
      await t
        .http()
        .post('/v1/auth/login')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('identifier=a&password=b'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('unknown route → 404 ROUTE_NOT_FOUND', async () => {
    expectProblem(await t.http().get('/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND');
  });

  it('known route, wrong method → 405 with Allow', async () => {
    const res = await t.http().delete('/v1/auth/login');
    expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('POST');
    const me = await t.http().put('/v1/me');
    expectProblem(me, 405, 'METHOD_NOT_ALLOWED');
    expect(me.headers.allow?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);
  });

  it('a bad path parameter → 400 naming it; a missing resource → 404', async () => {
    const bad = await t.http().get('/v1/org-units/not-a-uuid');
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(bad.body.errors).toContainEqual(expect.objectContaining({ field: 'id' }));
    expectProblem(await t.http().get('/v1/org-units/00000000-0000-4000-8000-000000000000'), 404, 'ORG_UNIT_NOT_FOUND');
  });

  it('a forged pagination cursor → 400 INVALID_CURSOR', async () => {
    const res = await t.http().get('/v1/org-units').query({ cursor: 'bm90LWEtY3Vyc29y' });
    expectProblem(res, 400, 'INVALID_CURSOR');
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'cursor' }));
  });

  it('query parameters are validated: limit out of range, duplicated parameters', async () => {
    const res = await t.http().get('/v1/org-units?limit=1000');
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'limit' }));
    expectProblem(await t.http().get('/v1/org-units?limit=5&limit=6'), 400, 'VALIDATION_FAILED');
  });

  it('409 on a duplicate registration, 422 without the required consent', async () => {
    const body = {
      email: 'dup@example.vn',
      password: 'bốn mùa thay lá',
      fullName: 'Lê Văn Dũng',
      consents: { learning: true },
    };
    await t.http().post('/v1/auth/register').send(body).expect(201);
    const dup = await t.http().post('/v1/auth/register').send(body);
    expectProblem(dup, 409, 'IDENTITY_TAKEN');
    expect(dup.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    const noConsent = await t
      .http()
      .post('/v1/auth/register')
      .send({ ...body, email: 'nc@example.vn', consents: { learning: false } });
    expectProblem(noConsent, 422, 'CONSENT_REQUIRED');
    expect(noConsent.body.errors).toEqual([expect.objectContaining({ field: 'consents.learning' })]);
  });

  it('an invalid Vietnamese phone → 400 PHONE_INVALID naming phone', async () => {
    const res = await t
      .http()
      .post('/v1/auth/register')
      .send({
        phone: '0208 3123 456',
        password: 'bốn mùa thay lá',
        fullName: 'Lê Văn Dũng',
        consents: { learning: true },
      });
    expectProblem(res, 400, 'PHONE_INVALID');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'phone' })]);
  });

  it('401 and 403 are problems too', async () => {
    expectProblem(await t.http().get('/v1/users'), 401, 'UNAUTHENTICATED');
    const reg = await t
      .http()
      .post('/v1/auth/register')
      .send({
        email: 'learner403@example.vn',
        password: 'bốn mùa thay lá',
        fullName: 'Học Viên',
        consents: { learning: true },
      })
      .expect(201);
    const res = await t.http().get('/v1/users').set('Authorization', `Bearer ${reg.body.tokens.accessToken}`);
    expectProblem(res, 403, 'FORBIDDEN');
  });

  it('carries the caller’s X-Request-Id when sane, mints one otherwise', async () => {
    const res = await t.http().get('/v1/nothing').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.body.requestId).toBe('abc-123');
    const evil = await t.http().get('/v1/nothing').set('X-Request-Id', '<script>');
    expect(evil.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
