import { mkdtempSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hocso/config';
import Fastify, { type FastifyInstance } from 'fastify';
import { AbuseLimitException, AbuseLimits, ipKey } from './abuse-limits';
import { HTTP_PROBLEMS, HttpProblem } from './http-errors';

const config = (env: Record<string, string>) =>
  loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'hocso-abuse-')), ...env });

/** A bare Fastify with the abuse hooks and one policy route; 429s rendered as the filter would. */
async function server(env: Record<string, string>): Promise<FastifyInstance> {
  const c = config(env);
  const abuse = new AbuseLimits(c);
  // Requests in these tests say who they are in X-Forwarded-For (fetch cannot pick its address).
  const app = Fastify({ ...abuse.serverOptions(), bodyLimit: c.http.bodyLimitBytes, trustProxy: true });
  abuse.register(app);
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof AbuseLimitException) {
      return reply
        .status(429)
        .header('Retry-After', String(err.options.retryAfterSeconds))
        .send(err.options.extensions);
    }
    if (err instanceof HttpProblem)
      return reply.status(HTTP_PROBLEMS[err.code].status).send({ code: err.code, ...err.options });
    const { statusCode = 500, message } = err as { statusCode?: number; message: string };
    return reply.status(statusCode).send({ message });
  });
  app.post('/v1/auth/register', async () => ({ ok: true }));
  app.post('/v1/other', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

/** POSTs JSON to the test server as client `ip`; returns the status, headers and JSON body. */
async function post(app: FastifyInstance, url: string, ip: string, body: unknown = {}) {
  const { port } = app.server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

describe('ipKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::5', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s → %s', (ip, key) => {
    expect(ipKey(ip)).toBe(key);
  });
});

describe('AbuseLimits', () => {
  it('counts per IP on policy routes only, and answers the N+1-th with the budget’s name and Retry-After', async () => {
    const app = await server({ RATE_LIMIT_REGISTER_PER_IP: '2/60' });
    try {
      const hit = (ip: string, url = '/v1/auth/register') => post(app, url, ip);
      expect((await hit('198.51.100.1')).status).toBe(200);
      expect((await hit('198.51.100.1')).status).toBe(200);
      const limited = await hit('198.51.100.1');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.body).toEqual({ limit: 'registerPerIp', per: 'ip' });
      expect((await hit('198.51.100.2')).status).toBe(200);
      // IPv6 clients share their /64.
      expect((await hit('2001:db8:5:6::1')).status).toBe(200);
      expect((await hit('2001:db8:5:6::2')).status).toBe(200);
      expect((await hit('2001:db8:5:6:1:2:3:4')).status).toBe(429);
      for (let i = 0; i < 5; i++) expect((await hit('198.51.100.1', '/v1/other')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('with Redis unreachable the budgets still hold, in process memory — never a 500, never wide open', async () => {
    const app = await server({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_REGISTER_PER_IP: '2/60' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await post(app, '/v1/auth/register', '198.51.100.9')).status);
      }
      expect(statuses).toEqual([200, 200, 429, 429]);
    } finally {
      await app.close();
      // The client's last refused connection attempt settles just after it is told to stop.
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  it('applies the policy’s per-route body caps (413), and the global one elsewhere', async () => {
    const app = await server({ BODY_LIMIT_BYTES: '32768', RATE_LIMIT_REGISTER_PER_IP: '10/60' });
    try {
      // The sign-up route's cap (16 KB, from the policy table) applies, not BODY_LIMIT_BYTES.
      expect((await post(app, '/v1/auth/register', '198.51.100.3', { pad: 'x'.repeat(15_000) })).status).toBe(200);
      const res = await post(app, '/v1/auth/register', '198.51.100.3', { pad: 'x'.repeat(20_000) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ code: 'PAYLOAD_TOO_LARGE', field: 'body', extensions: { limitBytes: 16 * 1024 } });
      expect((await post(app, '/v1/other', '198.51.100.3', { pad: 'x'.repeat(20_000) })).status).toBe(200);
      expect((await post(app, '/v1/other', '198.51.100.3', { pad: 'x'.repeat(40_000) })).status).toBe(413);
    } finally {
      await app.close();
    }
    // A global limit below the table's only tightens.
    const tight = await server({ BODY_LIMIT_BYTES: '4096' });
    try {
      const res = await post(tight, '/v1/auth/register', '198.51.100.4', { pad: 'x'.repeat(5_000) });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ extensions: { limitBytes: 4096 } });
    } finally {
      await tight.close();
    }
  });

  it('answers oversized headers (431) and garbage (400) as problem+json on the socket, then closes it', async () => {
    const app = await server({});
    const { port } = app.server.address() as AddressInfo;
    const exchange = (raw: string) =>
      new Promise<string>((resolve) => {
        let text = '';
        const socket = connect(port, '127.0.0.1', () => socket.write(raw));
        socket.on('data', (d) => {
          text += d;
        });
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(text));
      });
    try {
      const big = await exchange(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(big).toMatch(/^HTTP\/1\.1 431 /);
      expect(big).toContain('Content-Type: application/problem+json');
      expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toMatchObject({
        status: 431,
        code: 'HEADERS_TOO_LARGE',
      });
      const garbage = await exchange('HELLO\r\n\r\n');
      expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
      expect(garbage).toContain('"code":"BAD_REQUEST"');
    } finally {
      await app.close();
    }
  });
});
