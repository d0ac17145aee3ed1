import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import { EnvSchema } from './env.schema';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  http: {
    port: number;
    host: string;
    publicUrl: string;
    corsOrigins: string[];
    trustProxy: string[];
    bodyLimitBytes: number;
    /** slow-request cut-offs (ms): headers, whole request → 408; idle socket → closed */
    timeouts: { headersMs: number; requestMs: number; idleMs: number };
  };
  db: {
    /** undefined ⇒ embedded PGlite in dataDir */
    url?: string;
    embeddedPort: number;
    poolSize: number;
    /** connect timeout; statement timeouts of the api's and the worker's connections; idle-in-transaction timeout (ms, 0 = none) */
    timeouts: { connectMs: number; apiStatementMs: number; workerStatementMs: number; idleInTransactionMs: number };
    migrate: boolean;
    seed: boolean;
  };
  redis: { url?: string; prefix: string };
  dataDir: string;
  runWorker: boolean;
  worker: { concurrency: number; lockDurationMs: number; stalledIntervalMs: number };
  admin?: { email: string; password: string };
  jwt: { secret: string; accessTtlSeconds: number; refreshTtlSeconds: number; audience: string; issuer: string };
  auth: { maxFailuresPerAccount: number; maxAttemptsPerIp: number; windowSeconds: number };
  idempotency: { ttlHours: number };
  /** abuse limits by policy (RATE_LIMIT_*, already multiplied by RATE_LIMIT_MULTIPLIER) */
  rateLimits: Record<RateLimitName, RateLimit>;
  learning: { dailyCapSeconds: number; maxEventSeconds: number; futureSkewSeconds: number; retentionDays: number };
  /** outgoing e-mail; smtpUrl unset = e-mail off */
  mail: { smtpUrl?: string; from: string };
  webhooks: { allowPrivateNetworks: boolean };
  /** SMS gateway for invitations; gatewayUrl unset = log only (development, test) or not sent (production) */
  sms: { gatewayUrl?: string; token?: string };
  invitations: { ttlDays: number };
  cohorts: { minAttendancePercent: number; qualificationYears: number };
  embed: { ratePerMinute: number; anonRatePerMinute: number };
  certification: {
    keysDir: string;
    activeKid?: string;
    /** generate a signing key when the folder has none (not in production) */
    createKeys: boolean;
    issuerName: string;
    signatory: { name: string; title: string };
  };
  /** the LTI 1.3 tool's own RS256 keys (JWKS at /lti/jwks) */
  lti: { keysDir: string; activeKid?: string; createKeys: boolean };
  logLevel: string;
  orgUnitsFile: string;
  content: { dir: string; importOnStart: boolean };
}

export interface RateLimit {
  points: number;
  windowSeconds: number;
}

/** The RATE_LIMIT_* variables by policy name (the api's abuse-policy table refers to these). */
export const RATE_LIMIT_VARIABLES = {
  registerPerIp: 'RATE_LIMIT_REGISTER_PER_IP',
  reportsPerKey: 'RATE_LIMIT_REPORTS_PER_KEY',
  reportsPerIp: 'RATE_LIMIT_REPORTS_PER_IP',
  progressPerAccount: 'RATE_LIMIT_PROGRESS_PER_ACCOUNT',
  progressPerIp: 'RATE_LIMIT_PROGRESS_PER_IP',
  enrolPerAccount: 'RATE_LIMIT_ENROL_PER_ACCOUNT',
  attendancePerAccount: 'RATE_LIMIT_ATTENDANCE_PER_ACCOUNT',
  cohortJoinPerAccount: 'RATE_LIMIT_COHORT_JOIN_PER_ACCOUNT',
  verifyPerIp: 'RATE_LIMIT_VERIFY_PER_IP',
  publicPagesPerIp: 'RATE_LIMIT_PUBLIC_PAGES_PER_IP',
} as const satisfies Record<string, keyof EnvSchema>;

export type RateLimitName = keyof typeof RATE_LIMIT_VARIABLES;

export class ConfigError extends Error {}

function firstProblem(errors: ValidationError[]): string {
  const e = errors[0];
  // Decorators register bottom-up, so the last constraint is the top-most decorator: the type or
  // presence check, which is the most useful thing to say first.
  const constraint = Object.values(e.constraints ?? {}).pop() ?? 'is invalid';
  // class-validator prefixes its default messages with the property name; say it once.
  const message = constraint.startsWith(`${e.property} `) ? constraint.slice(e.property.length + 1) : constraint;
  const shown =
    typeof e.value === 'string' &&
    !/SECRET|PASSWORD|TOKEN|SMTP_URL|SMS_GATEWAY_URL|REDIS_URL|DATABASE_URL/.test(e.property)
      ? ` (got "${e.value}")`
      : '';
  return `Invalid configuration: ${e.property} ${message}${shown}`;
}

function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

/** A password in the URL (ACL user or `:password@`), or TLS. */
function redisIsProtected(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'rediss:' || u.password !== '' || u.searchParams.has('password');
  } catch {
    return false;
  }
}

const nfc = (s: string) => s.normalize('NFC').trim();

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Parses and validates the environment once. Throws ConfigError with a single line naming the
 * variable and the problem; callers print it and exit.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of Object.getOwnPropertyNames(new EnvSchema())) {
    const v = source[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'JWT_SECRET']) {
    const v = source[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const env = plainToInstance(EnvSchema, raw);
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(firstProblem(errors));

  const dataDir = isAbsolute(env.DATA_DIR) ? env.DATA_DIR : resolve(process.cwd(), env.DATA_DIR);
  const secret = env.JWT_SECRET ?? readOrCreateSecret(dataDir);
  if (env.HTTP_HEADERS_TIMEOUT_SECONDS > env.HTTP_REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError(
      'Invalid configuration: HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS',
    );
  }
  if (env.NODE_ENV === 'production' && env.REDIS_URL && !env.REDIS_ALLOW_INSECURE && !redisIsProtected(env.REDIS_URL)) {
    throw new ConfigError(
      'Invalid configuration: REDIS_URL needs a password (redis://:password@host) or TLS (rediss://) in production; set REDIS_ALLOW_INSECURE=true only for a Redis on a private network',
    );
  }
  const multiplier = env.RATE_LIMIT_MULTIPLIER ? Number(env.RATE_LIMIT_MULTIPLIER) : env.NODE_ENV === 'test' ? 1000 : 1;
  const rateLimits = {} as Record<RateLimitName, RateLimit>;
  for (const [name, variable] of Object.entries(RATE_LIMIT_VARIABLES) as [RateLimitName, keyof EnvSchema][]) {
    const [points, windowSeconds] = String(env[variable]).split('/').map(Number);
    rateLimits[name] = { points: points * multiplier, windowSeconds };
  }
  const publicUrl = env.PUBLIC_URL.replace(/\/+$/, '');
  /** A signing-key folder (absolute, or under DATA_DIR by default), whether to generate a key, which signs. */
  const keyRing = (dir: string, create: string, activeKid: string, fallback: string) => ({
    keysDir: dir ? (isAbsolute(dir) ? dir : resolve(process.cwd(), dir)) : join(dataDir, fallback),
    activeKid: activeKid || undefined,
    createKeys: create ? create === 'true' : env.NODE_ENV !== 'production',
  });
  return {
    env: env.NODE_ENV,
    http: {
      port: env.PORT,
      host: env.HOST,
      publicUrl,
      corsOrigins: list(env.CORS_ORIGINS),
      trustProxy: list(env.TRUST_PROXY),
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      timeouts: {
        headersMs: env.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
        requestMs: env.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
        idleMs: env.HTTP_IDLE_TIMEOUT_SECONDS * 1000,
      },
    },
    db: {
      url: env.DATABASE_URL,
      embeddedPort: env.EMBEDDED_DB_PORT,
      poolSize: env.DB_POOL_SIZE,
      timeouts: {
        connectMs: env.DB_CONNECT_TIMEOUT_MS,
        apiStatementMs: env.DB_STATEMENT_TIMEOUT_MS,
        workerStatementMs: env.DB_WORKER_STATEMENT_TIMEOUT_MS,
        idleInTransactionMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      },
      migrate: env.DB_MIGRATE,
      seed: env.DB_SEED,
    },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    dataDir,
    runWorker: env.RUN_WORKER,
    worker: {
      concurrency: env.WORKER_CONCURRENCY,
      lockDurationMs: env.WORKER_LOCK_DURATION_MS,
      stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    },
    admin: env.ADMIN_EMAIL ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD as string } : undefined,
    jwt: {
      secret,
      accessTtlSeconds: env.JWT_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: env.JWT_REFRESH_TTL_SECONDS,
      audience: env.JWT_AUDIENCE,
      issuer: publicUrl,
    },
    auth: {
      maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxAttemptsPerIp: env.LOGIN_MAX_ATTEMPTS_PER_IP,
      windowSeconds: env.LOGIN_WINDOW_SECONDS,
    },
    idempotency: { ttlHours: env.IDEMPOTENCY_TTL_HOURS },
    rateLimits,
    learning: {
      dailyCapSeconds: env.LEARNING_DAILY_CAP_MINUTES * 60,
      maxEventSeconds: env.LEARNING_MAX_EVENT_SECONDS,
      futureSkewSeconds: env.LEARNING_FUTURE_SKEW_SECONDS,
      retentionDays: env.LEARNING_RETENTION_DAYS,
    },
    mail: { smtpUrl: env.SMTP_URL || undefined, from: env.MAIL_FROM },
    webhooks: { allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS },
    sms: { gatewayUrl: env.SMS_GATEWAY_URL || undefined, token: env.SMS_GATEWAY_TOKEN || undefined },
    invitations: { ttlDays: env.INVITATION_TTL_DAYS },
    cohorts: {
      minAttendancePercent: env.COHORT_MIN_ATTENDANCE_PERCENT,
      qualificationYears: env.TRAINER_QUALIFICATION_YEARS,
    },
    embed: { ratePerMinute: env.CONTENT_API_RATE_PER_MINUTE, anonRatePerMinute: env.CONTENT_API_ANON_RATE_PER_MINUTE },
    certification: {
      ...keyRing(env.CREDENTIAL_KEYS_DIR, env.CREDENTIAL_KEYS_CREATE, env.CREDENTIAL_ACTIVE_KID, 'credential-keys'),
      issuerName: nfc(env.ISSUER_NAME),
      signatory: { name: nfc(env.ISSUER_SIGNATORY_NAME), title: nfc(env.ISSUER_SIGNATORY_TITLE) },
    },
    lti: keyRing(env.LTI_KEYS_DIR, env.LTI_KEYS_CREATE, env.LTI_ACTIVE_KID, 'lti-keys'),
    logLevel: env.LOG_LEVEL,
    orgUnitsFile: isAbsolute(env.ORG_UNITS_FILE) ? env.ORG_UNITS_FILE : resolve(process.cwd(), env.ORG_UNITS_FILE),
    content: {
      dir: isAbsolute(env.CONTENT_DIR) ? env.CONTENT_DIR : resolve(process.cwd(), env.CONTENT_DIR),
      importOnStart: env.CONTENT_IMPORT_ON_START,
    },
  };
}

/** For entry points: load the config or print one line and exit(1). */
export function loadConfigOrExit(source: Record<string, string | undefined> = process.env): AppConfig {
  try {
    return loadConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
