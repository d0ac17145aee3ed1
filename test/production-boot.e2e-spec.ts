import { randomBytes } from 'node:crypto';
import { ConfigError } from '@hocso/config';
import { createTestApp, describeWithServices, type TestApp } from '@hocso/testing';
import { RouteIndex } from '../apps/api/src/http/route-index';

/**
 * SC13 (API9 inventory) and SC17, on the api booted as production boots it (NODE_ENV=production,
 * keys allowed to be created as the quality script does): the routes Fastify serves are exactly the
 * OpenAPI document's, plus a fixed list of infrastructure routes — no undocumented or debug route.
 * /docs and /openapi.json stay public in production on purpose (README: the API is documented for
 * integrators), so the test pins that too.
 */
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(32).toString('hex'),
  CREDENTIAL_KEYS_CREATE: 'true',
  LTI_KEYS_CREATE: 'true',
};

/** Served outside the OpenAPI document, by design: the docs themselves, probes, metrics. */
const INFRASTRUCTURE = /^GET \/(docs(\/.*)?|openapi\.json|health\/(live|ready)|metrics)$/;

describeWithServices('production boot: route inventory (SC13) and Redis credentials (SC17)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The shared test Redis has no password: production refuses it unless told it is private.
    t = await createTestApp({ env: { ...PRODUCTION, REDIS_ALLOW_INSECURE: 'true' } });
  });
  afterAll(() => t?.close());

  it('runs in production mode', () => {
    expect(t.config.env).toBe('production');
  });

  it('serves exactly the documented routes, plus the docs, probes and metrics — no debug routes', async () => {
    const doc = (await t.http().get('/openapi.json').expect(200)).body;
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(ops))
        documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const served = t.app
      .get(RouteIndex)
      .list()
      .filter((r) => !/^(HEAD|OPTIONS) /.test(r));
    const outside = served.filter((r) => !documented.has(r));
    expect(outside.filter((r) => !INFRASTRUCTURE.test(r))).toEqual([]);
    expect(outside).toEqual(expect.arrayContaining(['GET /health/live', 'GET /health/ready', 'GET /openapi.json']));
    // Every documented operation is really served (no stale documentation either).
    expect([...documented].filter((r) => !served.includes(r))).toEqual([]);
    expect(served.filter((r) => /\/(debug|test|dev|__)/i.test(r))).toEqual([]);
  });

  it('keeps the API documentation public in production, as the README says', async () => {
    const html = await t.http().get('/docs').redirects(1);
    expect(html.status).toBe(200);
    expect(html.text).toContain('swagger');
  });

  it('refuses to start on a Redis without password or TLS, naming REDIS_URL', async () => {
    await expect(createTestApp({ env: PRODUCTION })).rejects.toThrow(ConfigError);
    await expect(createTestApp({ env: PRODUCTION })).rejects.toThrow(/^Invalid configuration: REDIS_URL /);
  });
});
