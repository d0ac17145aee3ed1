import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};
/** "<requests>/<window seconds>", e.g. "60/3600". */
const RATE = /^\s*[1-9]\d{0,6}\s*\/\s*[1-9]\d{0,5}\s*$/;
const RATE_MESSAGE = 'must be "<requests>/<window seconds>", e.g. 60/3600';
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Every environment variable Hocso reads. Defaults are field initialisers; the schema is validated
 * once at boot (see loadConfig) and nothing else in the code base reads process.env.
 */
export class EnvSchema {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR = '.data';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  EMBEDDED_DB_PORT = 0;

  @Transform(toBool)
  @IsBoolean()
  RUN_WORKER = true;

  @Transform(toBool)
  @IsBoolean()
  DB_MIGRATE = true;

  @Transform(toBool)
  @IsBoolean()
  DB_SEED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** How long to wait for a new PostgreSQL connection (ms) before the pool gives up (RELIABILITY R14). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_CONNECT_TIMEOUT_MS = 10_000;

  /**
   * PostgreSQL statement_timeout of the api's connections (ms; 0 = none): a request's query that
   * hangs is cancelled instead of holding a connection for ever. An api with RUN_WORKER=true runs
   * jobs on the same pool and uses DB_WORKER_STATEMENT_TIMEOUT_MS.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  DB_STATEMENT_TIMEOUT_MS = 60_000;

  /** statement_timeout of the worker's connections (ms; 0 = none): set-based rollups of a whole province take seconds to minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  DB_WORKER_STATEMENT_TIMEOUT_MS = 900_000;

  /** idle_in_transaction_session_timeout (ms; 0 = none): a transaction left open by a stuck process releases its locks. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

  @IsOptional()
  @IsEmail({}, { message: 'must be an e-mail address' })
  ADMIN_EMAIL?: string;

  @ValidateIf((env: EnvSchema) => env.ADMIN_EMAIL !== undefined)
  @IsString({ message: 'is required when ADMIN_EMAIL is set' })
  @MinLength(8, { message: 'must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  @ValidateIf((env: EnvSchema) => env.DATABASE_URL !== undefined || env.NODE_ENV === 'production')
  @IsString({ message: 'is required when DATABASE_URL is set or NODE_ENV=production' })
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(3600)
  @Max(31536000)
  JWT_REFRESH_TTL_SECONDS = 2592000;

  @IsString()
  JWT_AUDIENCE = 'hocso-api';

  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'must be an absolute http(s) URL' })
  PUBLIC_URL = 'http://localhost:3000';

  /** Comma-separated list of allowed browser origins; empty = no cross-origin access. */
  @IsString()
  CORS_ORIGINS = '';

  /** Comma-separated proxy addresses/CIDRs whose X-Forwarded-For is trusted; empty = trust none. */
  @IsString()
  TRUST_PROXY = '';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(104857600)
  BODY_LIMIT_BYTES = 1048576;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_MAX_FAILURES_PER_ACCOUNT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  LOGIN_MAX_ATTEMPTS_PER_IP = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_WINDOW_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8760)
  IDEMPOTENCY_TTL_HOURS = 24;

  /**
   * Abuse limits (429 with Retry-After beyond; see apps/api/src/http/abuse-policy.ts), each
   * "<requests>/<window seconds>". Per client IP (behind TRUST_PROXY only), per account, or per
   * API key (an enterprise's key, or the signed-in manager when uploading from the web).
   */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_REGISTER_PER_IP = '60/3600';

  /** Training reports: a week's report, its corrections and re-sends, per enterprise key or manager. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_REPORTS_PER_KEY = '60/3600';

  /** Training reports per client IP (a payroll or HR provider may send for many enterprises). */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_REPORTS_PER_IP = '600/3600';

  /** Progress batches (≤ 500 events each) per learner: heartbeats plus an offline queue flushing. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_PROGRESS_PER_ACCOUNT = '120/60';

  /** Progress batches per client IP (a commune hall or a mobile carrier's NAT: many learners, one IP). */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_PROGRESS_PER_IP = '6000/60';

  /** Enrolments per learner (the lesson player enrols on each lesson it opens). */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_ENROL_PER_ACCOUNT = '300/3600';

  /** Attendance saves per trainer (a phone syncing a day of sessions at once). */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_ATTENDANCE_PER_ACCOUNT = '300/600';

  /** Cohort join attempts (join codes) per account. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_COHORT_JOIN_PER_ACCOUNT = '30/3600';

  /** Anonymous credential verifications (a signature check each) per client IP. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_VERIFY_PER_IP = '120/60';

  /** Public pages (the QR verify page, public profiles) per client IP: a job fair scanning behind one NAT fits. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_PUBLIC_PAGES_PER_IP = '600/60';

  /**
   * Multiplies every RATE_LIMIT_* budget (not the sign-in or content API ones): for load tests and
   * benchmarks, which keep the limiter in the path without being stopped by it. Empty = 1, except
   * 1000 when NODE_ENV=test (every request of a test run comes from one address).
   */
  @Matches(/^([1-9]\d{0,6})?$/, { message: 'must be a whole number from 1 to 9999999, or empty' })
  RATE_LIMIT_MULTIPLIER = '';

  /**
   * Slow-request cut-offs (slowloris): the request headers must arrive within HTTP_HEADERS_TIMEOUT_SECONDS
   * and the whole request (a 20 MB report over a slow uplink included) within HTTP_REQUEST_TIMEOUT_SECONDS,
   * else 408 and the connection is closed; a connection idle for HTTP_IDLE_TIMEOUT_SECONDS is closed.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  HTTP_HEADERS_TIMEOUT_SECONDS = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  HTTP_REQUEST_TIMEOUT_SECONDS = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  HTTP_IDLE_TIMEOUT_SECONDS = 120;

  /**
   * NODE_ENV=production refuses a REDIS_URL with neither a password nor TLS (rediss://): queued jobs
   * and rate-limit counters would be open to anything that reaches the port. "true" allows it, for a
   * Redis that only the api and worker can reach (a private Docker network, a unix socket).
   */
  @Transform(toBool)
  @IsBoolean()
  REDIS_ALLOW_INSECURE = false;

  /** Prefix for everything Hocso keeps in Redis (queues, rate limits). */
  @Matches(/^[a-z0-9_-]{1,32}$/i, { message: 'must be 1–32 letters, digits, - or _' })
  REDIS_PREFIX = 'hocso';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_CONCURRENCY = 4;

  /**
   * BullMQ's job lock (ms): a worker that dies mid-job holds its job for about this plus the stall
   * check interval before another worker takes it over (RELIABILITY R5). BullMQ's default, 30 s.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  WORKER_LOCK_DURATION_MS = 30_000;

  /** How often BullMQ looks for stalled jobs (ms). BullMQ's default, 30 s. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(600_000)
  WORKER_STALLED_INTERVAL_MS = 30_000;

  /** Most learning time credited to one person in one local day (minutes). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  LEARNING_DAILY_CAP_MINUTES = 480;

  /** Most seconds one heartbeat or video-progress event may claim. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3600)
  LEARNING_MAX_EVENT_SECONDS = 300;

  /** How far in the future (clock skew) an event's occurredAt may be before it is rejected. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  LEARNING_FUTURE_SKEW_SECONDS = 300;

  /** Progress events and xAPI statements older than this are deleted (minutes and completions stay). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  LEARNING_RETENTION_DAYS = 365;

  /**
   * SMTP server for e-mail (workforce compliance reminders), e.g. smtp://user:pass@mail.example.vn:587;
   * empty = no e-mail is sent. Not echoed in configuration errors (it may hold a password).
   */
  @IsString()
  SMTP_URL = '';

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Học Số <no-reply@hocso.local>';

  /** Let webhooks target loopback/private addresses (tests and closed networks only). */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_NETWORKS = false;

  /**
   * SMS gateway for invitation codes: an HTTPS endpoint that takes POST {"to": "+84…", "text": "…"}
   * (Authorization: Bearer SMS_GATEWAY_TOKEN when set). Empty: in development and test the message
   * is only logged; in production SMS invitations are not sent (the trainer sees "not_sent").
   */
  @IsString()
  SMS_GATEWAY_URL = '';

  @IsString()
  SMS_GATEWAY_TOKEN = '';

  /** Days an account invitation (link or code) stays valid. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(90)
  INVITATION_TTL_DAYS = 14;

  /** Attendance a cohort member needs (share of the sessions held, %) to finish it. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  COHORT_MIN_ATTENDANCE_PERCENT = 80;

  /** Years a trainer qualification earned in a ToT cohort stays valid (0 = no expiry). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(20)
  TRAINER_QUALIFICATION_YEARS = 3;

  /**
   * Folder of the credential signing keys (`<kid>.private.pem`, RS256). Empty: DATA_DIR/credential-keys,
   * where a key is generated at first start except in production (there, provide the keys).
   */
  @IsString()
  CREDENTIAL_KEYS_DIR = '';

  /**
   * Generate a signing key when CREDENTIAL_KEYS_DIR has none: "true", "false", or empty = yes except
   * in production (where several processes must share the operator's keys).
   */
  @IsIn(['', 'true', 'false'], { message: 'must be true, false or empty' })
  CREDENTIAL_KEYS_CREATE = '';

  /** kid of the key that signs new credentials (rotation); empty = the newest key in the folder. */
  @IsString()
  CREDENTIAL_ACTIVE_KID = '';

  /**
   * Folder of the LTI 1.3 tool's signing keys (`<kid>.private.pem`, RS256: deep-linking responses,
   * client assertions). Empty: DATA_DIR/lti-keys, generated at first start except in production.
   */
  @IsString()
  LTI_KEYS_DIR = '';

  /** Generate an LTI tool key when LTI_KEYS_DIR has none: "true", "false", or empty = yes except in production. */
  @IsIn(['', 'true', 'false'], { message: 'must be true, false or empty' })
  LTI_KEYS_CREATE = '';

  /** kid of the LTI tool key that signs (rotation); empty = the newest key in the folder. */
  @IsString()
  LTI_ACTIVE_KID = '';

  /** The issuer named on certificates and in credentials. */
  @IsString()
  @MinLength(3)
  ISSUER_NAME = 'Sở Khoa học và Công nghệ tỉnh Thái Nguyên';

  @IsString()
  @MinLength(3)
  ISSUER_SIGNATORY_NAME = 'Giám đốc Sở';

  @IsString()
  @MinLength(2)
  ISSUER_SIGNATORY_TITLE = 'Giám đốc';

  /** Content API requests per minute and API key (429 with Retry-After beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  CONTENT_API_RATE_PER_MINUTE = 600;

  /** Content API requests per minute and client IP without an API key (web components, portals). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  CONTENT_API_ANON_RATE_PER_MINUTE = 120;

  @IsString()
  ORG_UNITS_FILE = 'content/org-units/thai-nguyen.yaml';

  /** The content library (frameworks and course packages) imported at first start. */
  @IsString()
  @MinLength(1)
  CONTENT_DIR = 'content';

  /** Import CONTENT_DIR at start when the library is empty (frameworks are synced every start). */
  @Transform(toBool)
  @IsBoolean()
  CONTENT_IMPORT_ON_START = true;
}
