import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { RedisPolicyError } from '@hocso/queue';
import { RouteIndex } from '../apps/api/src/http/route-index';
import { createTestApp, describeWithServices, type TestApp } from '@hocso/testing';

describe('platform: health, metrics, OpenAPI, headers, CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: 'https://hoctap.thainguyen.gov.vn,https://lms.tnu.edu.vn' } });
  });
  afterAll(() => t.close());

  it('liveness and readiness (database and queue)', async () => {
    expect((await t.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.checks.database.ok).toBe(true);
    expect(ready.body.checks.queue.ok).toBe(true);
  });

  it('Prometheus metrics, including request durations by route', async () => {
    await t.http().get('/health/live');
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('hocso_process_cpu_seconds_total');
    expect(res.text).toMatch(
      /hocso_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} \d+/,
    );
  });

  it('OpenAPI at /openapi.json documents every route the api serves (no hidden routes)', async () => {
    const doc = (await t.http().get('/openapi.json').expect(200)).body;
    expect(doc.info.title).toBe('Hocso API');
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(ops))
        documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    // Everything Fastify serves, minus HEAD/OPTIONS, the docs themselves, probes and metrics.
    const served = t.app
      .get(RouteIndex)
      .list()
      .filter((r) => !/^(HEAD|OPTIONS) /.test(r) && !/ \/(docs|openapi\.json|health|metrics)/.test(r));
    expect(served).toEqual(expect.arrayContaining(['POST /v1/auth/login', 'DELETE /v1/me', 'GET /v1/api-keys/self']));
    for (const route of served) expect(documented).toContain(route);
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
    expect(doc.components.securitySchemes).toHaveProperty('api-key');
    const html = await t.http().get('/docs').redirects(1);
    expect(html.status).toBe(200);
    expect(html.text).toContain('swagger');
  });

  it('security headers (ASVS 3.4)', async () => {
    const res = await t.http().get('/health/live');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('CORS: allowlisted origins only; arbitrary and null origins are not reflected', async () => {
    const ok = await t
      .http()
      .options('/v1/auth/login')
      .set('Origin', 'https://lms.tnu.edu.vn')
      .set('Access-Control-Request-Method', 'POST');
    expect(ok.headers['access-control-allow-origin']).toBe('https://lms.tnu.edu.vn');
    expect(ok.headers['access-control-allow-headers']).toContain('Idempotency-Key');
    const evil = await t
      .http()
      .options('/v1/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const nul = await t.http().get('/health/live').set('Origin', 'null');
    expect(nul.headers['access-control-allow-origin']).toBeUndefined();
    // Bearer tokens, not cookies: no origin is told it may send credentials.
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    // Only the methods the API has are offered (ASVS 4.1.4).
    const trace = await t
      .http()
      .options('/v1/auth/login')
      .set('Origin', 'https://lms.tnu.edu.vn')
      .set('Access-Control-Request-Method', 'TRACE');
    expect(trace.headers['access-control-allow-methods'] ?? '').not.toMatch(/TRACE|CONNECT/);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describeWithServices('Redis misconfiguration fails fast (BullMQ needs noeviction)', () => {
  let redis: ChildProcess;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    // A Redis of our own on a spare port — never reconfigure the shared one.
    redis = spawn('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'allkeys-lru',
    ]);
    for (let i = 0; i < 50; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = createServer();
        s.once('error', () => resolve(true)); // port taken ⇒ redis is listening
        s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
      });
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(() => {
    redis.kill('SIGKILL');
  });

  it('refuses to start when maxmemory-policy is not noeviction', async () => {
    await expect(createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } })).rejects.toThrow(RedisPolicyError);
  });
});
