import { randomUUID } from 'node:crypto';
import { Role } from '@hocso/common';
import { createSession, createTestApp, Factories, type TestApp } from '@hocso/testing';
import { checkResponse, deepJson, send } from './fixtures/fuzz-harness';
import { describeFuzz } from './fixtures/fuzz-routes';

// SC8 fuzzing of every write route: see test/fixtures/fuzz-routes.ts. Half the routes here, half in
// fuzz-more.e2e-spec.ts, so Jest runs them in parallel.
describeFuzz('fuzz: write routes (first half)', (_, i) => process.env.FUZZ_ALL === '1' || i % 2 === 0);

describe('fuzz: known defect', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // Once a 500: the idempotency interceptor hashed the body (recursively) before the validation pipe
  // screened its depth.
  it('a 10,000-deep body with an Idempotency-Key is a 400, not a 500', async () => {
    const admin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: await new Factories(t).province() });
    const res = await send(t, {
      method: 'POST',
      url: '/v1/org-units',
      headers: { Authorization: `Bearer ${admin.accessToken}`, 'Idempotency-Key': randomUUID() },
      body: { kind: 'raw', contentType: 'application/json', text: deepJson(10_000, 'array') },
    });
    checkResponse('deep body with Idempotency-Key', res);
    expect(res.status).toBe(400);
  });
});
