import type { RateLimitName } from '@hocso/config';

/**
 * Who a budget is counted against: the client IP (Fastify's request.ip, so X-Forwarded-For only
 * counts from TRUST_PROXY hops), the signed-in account, or the "principal" — the API key when the
 * caller used one (an enterprise's ERP), else the signed-in account (a manager uploading on the web).
 */
export type LimitKey = 'ip' | 'account' | 'principal';

export interface RoutePolicy {
  /** "METHOD /path" exactly as registered (Fastify's route url, with :params). */
  route: string;
  /**
   * Request body cap for the route (413 beyond), when below BODY_LIMIT_BYTES; unset = the route's own
   * config (larger uploads) or BODY_LIMIT_BYTES.
   */
  bodyLimitBytes?: number;
  /** Budgets (RATE_LIMIT_* variables); every one must have room, each request takes one point of each. */
  limits: ReadonlyArray<{ name: RateLimitName; by: LimitKey }>;
  /** Why the route is here, and where a limit lives when it is not in this table. */
  note: string;
}

/** JSON of a sign-in or sign-up form: a few hundred bytes; 16 KB leaves room for long Unicode names. */
const SMALL_FORM = 16 * 1024;

/**
 * The abuse policy: one row per route with a body cap and/or rate limits, applied in one place
 * (AbuseLimits, registered by createApiApp). IP budgets are taken before the body is read; account
 * and key budgets once the caller is authenticated, before validation and the handler.
 *
 * Two brakes keep their own services because they need the request's meaning, not just its route:
 * sign-in (LoginThrottleService: failures per account, attempts per IP, shared with invitation
 * codes) and the content API (ContentRateLimit: per integrator key, or per IP without one).
 */
export const ABUSE_POLICY: readonly RoutePolicy[] = [
  {
    route: 'POST /v1/auth/login',
    bodyLimitBytes: SMALL_FORM,
    limits: [],
    note: 'LOGIN_MAX_ATTEMPTS_PER_IP and LOGIN_MAX_FAILURES_PER_ACCOUNT per LOGIN_WINDOW_SECONDS (LoginThrottleService)',
  },
  {
    route: 'POST /v1/auth/register',
    bodyLimitBytes: SMALL_FORM,
    limits: [{ name: 'registerPerIp', by: 'ip' }],
    note: 'account creation per IP (a commune class signing up on one Wi-Fi fits)',
  },
  { route: 'POST /v1/auth/refresh', bodyLimitBytes: SMALL_FORM, limits: [], note: 'body cap only' },
  { route: 'POST /v1/auth/logout', bodyLimitBytes: SMALL_FORM, limits: [], note: 'body cap only' },
  {
    route: 'POST /v1/auth/invitations/accept',
    bodyLimitBytes: SMALL_FORM,
    limits: [],
    note: 'invitation codes share the sign-in brakes (LoginThrottleService)',
  },
  {
    route: 'POST /v1/enterprises/:id/training-reports',
    limits: [
      { name: 'reportsPerIp', by: 'ip' },
      { name: 'reportsPerKey', by: 'principal' },
    ],
    note: 'body ≤ 20 MB and ≤ 100,000 rows (REPORT_UPLOAD_ROUTE, report-body.decorator)',
  },
  {
    route: 'POST /v1/progress-events',
    limits: [
      { name: 'progressPerIp', by: 'ip' },
      { name: 'progressPerAccount', by: 'account' },
    ],
    note: 'batches of ≤ 500 events; body ≤ BODY_LIMIT_BYTES',
  },
  {
    route: 'POST /v1/enrollments',
    bodyLimitBytes: SMALL_FORM,
    limits: [{ name: 'enrolPerAccount', by: 'account' }],
    note: 'enrolments per learner',
  },
  {
    route: 'PUT /v1/cohorts/:id/sessions/:sessionId/attendance',
    limits: [{ name: 'attendancePerAccount', by: 'account' }],
    note: 'attendance saves per trainer (offline queue on a phone)',
  },
  {
    route: 'POST /v1/cohorts/join',
    bodyLimitBytes: SMALL_FORM,
    limits: [{ name: 'cohortJoinPerAccount', by: 'account' }],
    note: 'join-code attempts per account',
  },
  {
    route: 'POST /v1/credentials/verify',
    bodyLimitBytes: 64 * 1024,
    limits: [{ name: 'verifyPerIp', by: 'ip' }],
    note: 'anonymous, and each call checks a signature; a VC-JWT or JSON credential is a few KB',
  },
  {
    route: 'GET /verify/:id',
    limits: [{ name: 'publicPagesPerIp', by: 'ip' }],
    note: 'the QR code target, anonymous: walking certificate ids',
  },
  {
    route: 'GET /v1/public-profiles/:handle',
    limits: [{ name: 'publicPagesPerIp', by: 'ip' }],
    note: 'anonymous: walking handles',
  },
];

/** The policy rows by "METHOD /path". */
export const ABUSE_POLICY_BY_ROUTE: ReadonlyMap<string, RoutePolicy> = new Map(ABUSE_POLICY.map((p) => [p.route, p]));
