import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, loadConfigOrExit } from './app-config';

describe('loadConfig', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-config-'));
  const base = { DATA_DIR: dataDir };

  it('has working defaults with nothing set (embedded mode), and makes a JWT secret in DATA_DIR', () => {
    const c = loadConfig(base);
    expect(c.http.port).toBe(3000);
    expect(c.db.url).toBeUndefined();
    expect(c.redis.url).toBeUndefined();
    expect(c.runWorker).toBe(true);
    expect(c.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig(base).jwt.secret).toBe(c.jwt.secret); // stable across restarts
  });

  it('generates certificate signing keys by default, not in production unless told to, and never echoes secrets', () => {
    expect(loadConfig(base).certification).toMatchObject({
      keysDir: join(dataDir, 'credential-keys'),
      createKeys: true,
    });
    const prod = { ...base, NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40) };
    expect(loadConfig(prod).certification.createKeys).toBe(false);
    expect(loadConfig({ ...prod, CREDENTIAL_KEYS_CREATE: 'true' }).certification.createKeys).toBe(true);
    expect(() => loadConfig({ ...base, CREDENTIAL_KEYS_CREATE: 'yes' })).toThrow(
      /^Invalid configuration: CREDENTIAL_KEYS_CREATE must be true, false or empty/,
    );
    expect(() => loadConfig({ ...base, SMS_GATEWAY_TOKEN: 'x', INVITATION_TTL_DAYS: '0' })).toThrow(
      /INVITATION_TTL_DAYS/,
    );
  });

  it('parses types, lists and URLs', () => {
    const c = loadConfig({
      ...base,
      PORT: '8080',
      RUN_WORKER: 'false',
      CORS_ORIGINS: 'https://a.vn, https://b.vn',
      DATABASE_URL: 'postgres://u@db:5432/hocso',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: 's'.repeat(40),
      PUBLIC_URL: 'https://hocso.thainguyen.gov.vn/',
    });
    expect(c.http.port).toBe(8080);
    expect(c.runWorker).toBe(false);
    expect(c.http.corsOrigins).toEqual(['https://a.vn', 'https://b.vn']);
    expect(c.http.publicUrl).toBe('https://hocso.thainguyen.gov.vn');
    expect(c.jwt.issuer).toBe('https://hocso.thainguyen.gov.vn');
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be an integer number \(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must not be greater than 65535/],
    [
      { DATABASE_URL: 'mysql://x' },
      /^Invalid configuration: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    ],
    [{ REDIS_URL: 'localhost:6379' }, /^Invalid configuration: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ RUN_WORKER: 'maybe' }, /^Invalid configuration: RUN_WORKER must be a boolean value/],
    [{ ADMIN_EMAIL: 'admin@x.vn' }, /^Invalid configuration: ADMIN_PASSWORD is required when ADMIN_EMAIL is set/],
    [
      { ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'xxxxxxxxxx' },
      /^Invalid configuration: ADMIN_EMAIL must be an e-mail address/,
    ],
    [{ DATABASE_URL: 'postgres://x/y' }, /^Invalid configuration: JWT_SECRET is required when DATABASE_URL is set/],
    [
      { DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'short' },
      /^Invalid configuration: JWT_SECRET must be at least 32 characters$/,
    ],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL must be one of/],
    [{ PUBLIC_URL: 'hocso.vn' }, /^Invalid configuration: PUBLIC_URL must be an absolute http\(s\) URL/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it('never echoes secrets in the error', () => {
    expect(() => loadConfig({ ...base, DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'tiny-secret' })).toThrow(
      /^((?!tiny-secret).)*$/,
    );
  });

  it('production refuses a Redis with neither password nor TLS, in one line naming REDIS_URL (SC17)', () => {
    const prod = { ...base, NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40) };
    for (const url of ['redis://redis:6379', 'redis://10.0.0.5:6379/0', 'redis://default@redis:6379']) {
      expect(() => loadConfig({ ...prod, REDIS_URL: url })).toThrow(ConfigError);
      expect(() => loadConfig({ ...prod, REDIS_URL: url })).toThrow(
        /^Invalid configuration: REDIS_URL needs a password/,
      );
      expect(() => loadConfig({ ...prod, REDIS_URL: url })).not.toThrow(/\n/);
    }
    for (const url of [
      'redis://:s3cret@redis:6379',
      'redis://hocso:s3cret@redis:6379/1',
      'rediss://redis.example:6380',
    ]) {
      expect(loadConfig({ ...prod, REDIS_URL: url }).redis.url).toBe(url);
    }
    // The documented escape hatch (a Redis on a private Docker network), and no Redis at all.
    expect(loadConfig({ ...prod, REDIS_URL: 'redis://redis:6379', REDIS_ALLOW_INSECURE: 'true' }).redis.url).toBe(
      'redis://redis:6379',
    );
    expect(() => loadConfig({ ...prod, REDIS_URL: 'redis://redis:6379', REDIS_ALLOW_INSECURE: 'false' })).toThrow(
      /REDIS_URL/,
    );
    expect(loadConfig(prod).redis.url).toBeUndefined();
    // Development and test keep the plain local Redis.
    expect(loadConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6379' }).redis.url).toBe('redis://127.0.0.1:6379');
    expect(() => loadConfig({ ...base, REDIS_ALLOW_INSECURE: 'maybe' })).toThrow(
      /^Invalid configuration: REDIS_ALLOW_INSECURE/,
    );
  });

  it('never shows the password of an invalid REDIS_URL or DATABASE_URL', () => {
    expect(() => loadConfig({ ...base, REDIS_URL: 'http://:hunter22@redis' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ ...base, REDIS_URL: 'http://:hunter22@redis' })).not.toThrow(/hunter22/);
    expect(() => loadConfig({ ...base, DATABASE_URL: 'mysql://u:hunter22@db/x' })).not.toThrow(/hunter22/);
  });

  it('loadConfigOrExit prints exactly one line to stderr and exits 1', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => loadConfigOrExit({ ...base, PORT: 'x' })).toThrow('exit 1');
      expect(write).toHaveBeenCalledTimes(1);
      const line = String(write.mock.calls[0][0]);
      expect(line).toMatch(/^Invalid configuration: PORT .*\n$/);
      expect(line.trim().split('\n')).toHaveLength(1);
    } finally {
      exit.mockRestore();
      write.mockRestore();
    }
  });
  it('parses abuse limits ("<requests>/<seconds>", times RATE_LIMIT_MULTIPLIER) and slow-request timeouts', () => {
    const c = loadConfig(base);
    expect(c.rateLimits.progressPerAccount).toEqual({ points: 120, windowSeconds: 60 });
    expect(c.http.timeouts).toEqual({ headersMs: 20_000, requestMs: 300_000, idleMs: 120_000 });
    const scaled = loadConfig({ ...base, RATE_LIMIT_REGISTER_PER_IP: ' 5 / 10 ', RATE_LIMIT_MULTIPLIER: '3' });
    expect(scaled.rateLimits.registerPerIp).toEqual({ points: 15, windowSeconds: 10 });
    expect(scaled.rateLimits.reportsPerKey).toEqual({ points: 180, windowSeconds: 3600 });
    expect(() => loadConfig({ ...base, RATE_LIMIT_REPORTS_PER_KEY: '60 per hour' })).toThrow(
      /^Invalid configuration: RATE_LIMIT_REPORTS_PER_KEY must be "<requests>\/<window seconds>"/,
    );
    expect(() => loadConfig({ ...base, RATE_LIMIT_PROGRESS_PER_IP: '0/60' })).toThrow(/RATE_LIMIT_PROGRESS_PER_IP/);
    // NODE_ENV=test raises the budgets unless told otherwise (test runs come from one address).
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).rateLimits.enrolPerAccount.points).toBe(300_000);
    expect(
      loadConfig({ ...base, NODE_ENV: 'test', RATE_LIMIT_MULTIPLIER: '1' }).rateLimits.enrolPerAccount.points,
    ).toBe(300);
    expect(() => loadConfig({ ...base, RATE_LIMIT_MULTIPLIER: '0' })).toThrow(/RATE_LIMIT_MULTIPLIER/);
    expect(() =>
      loadConfig({ ...base, HTTP_HEADERS_TIMEOUT_SECONDS: '30', HTTP_REQUEST_TIMEOUT_SECONDS: '10' }),
    ).toThrow(/HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS/);
  });
});
