import { STATUS_CODES } from 'node:http';
import { isIPv6, type Socket } from 'node:net';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Actor, DomainException, type DomainErrorDefinition, limiterRedis } from '@hocso/common';
import type { AppConfig, RateLimitName } from '@hocso/config';
import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { from, type Observable, switchMap } from 'rxjs';
import { ABUSE_POLICY_BY_ROUTE, type LimitKey, type RoutePolicy } from './abuse-policy';
import { HttpProblem } from './http-errors';

type AbuseCode = 'RATE_LIMITED';

const DEFINITIONS: Record<AbuseCode, DomainErrorDefinition> = {
  RATE_LIMITED: {
    kind: 'rate_limited',
    message: {
      vi: 'Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau số giây ghi trong Retry-After.',
      en: 'Too many requests in a short time. Please retry after the number of seconds in Retry-After.',
    },
  },
};

/** 429 problem+json with Retry-After; `limit` and `per` say which budget ran out (no counts, no keys). */
export class AbuseLimitException extends DomainException<AbuseCode> {
  readonly definitions = DEFINITIONS;
}

/** Route config key under which the policy row travels with the route. */
const POLICY = 'hocsoAbusePolicy';
/** A multipart upload carries boundaries and part headers on top of the file the route allows. */
const MULTIPART_SLACK_BYTES = 64 * 1024;

const policyOf = (req: FastifyRequest): RoutePolicy | undefined =>
  (req.routeOptions?.config as unknown as Record<string, unknown> | undefined)?.[POLICY] as RoutePolicy | undefined;

/**
 * The counter key for a client IP. IPv6 clients are counted per /64: one subscriber gets a whole
 * /64 and could otherwise rotate through it to reset the budget.
 */
export function ipKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) return ip.slice(7);
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Applies ABUSE_POLICY (abuse-policy.ts): per-route body caps, and rate limits per IP, account and
 * API key with rate-limiter-flexible — in Redis when REDIS_URL is set, so every api process shares
 * the counters, in memory otherwise (embedded mode is one process).
 *
 * Redis down: each limiter falls over to an in-memory "insurance" limiter with the same budget, so
 * limits keep holding per process and a request is never refused (nor answered 500) because the
 * counter store is away; the routes that need Redis for their work answer 503 on their own.
 *
 * Also the slow-request cut-offs (Node's headersTimeout/requestTimeout, answered 408
 * problem+json, and an idle-socket timeout) as Fastify server options.
 */
export class AbuseLimits {
  private readonly limiters = new Map<RateLimitName, RateLimiterAbstract>();
  private readonly redis?: Redis;

  constructor(private readonly config: AppConfig) {
    if (config.redis.url) {
      this.redis = limiterRedis(config.redis.url);
    }
    for (const [name, { points, windowSeconds }] of Object.entries(config.rateLimits) as [
      RateLimitName,
      { points: number; windowSeconds: number },
    ][]) {
      const memory = new RateLimiterMemory({ points, duration: windowSeconds, keyPrefix: name });
      this.limiters.set(
        name,
        this.redis
          ? new RateLimiterRedis({
              storeClient: this.redis,
              points,
              duration: windowSeconds,
              keyPrefix: `${config.redis.prefix}:abuse:${name}`,
              rejectIfRedisNotReady: true,
              insuranceLimiter: memory,
            })
          : memory,
      );
    }
  }

  /** Fastify server options: slow-request timeouts and 408/400/431 answered as problem+json. */
  serverOptions(): Pick<
    FastifyHttpOptions<Server>,
    'connectionTimeout' | 'requestTimeout' | 'http' | 'clientErrorHandler'
  > {
    const { headersMs, requestMs, idleMs } = this.config.http.timeouts;
    return {
      // An idle socket (nothing sent or received) is closed.
      connectionTimeout: idleMs,
      requestTimeout: requestMs,
      http: {
        headersTimeout: headersMs,
        requestTimeout: requestMs,
        // Node checks the two deadlines every 30 s by default: a slowloris would get 30 s more.
        connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersMs / 4))),
      },
      clientErrorHandler: clientErrorAsProblem,
    };
  }

  /** Hooks on the Fastify instance, before Nest registers its routes. */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        const policy = ABUSE_POLICY_BY_ROUTE.get(`${method} ${route.url}`);
        if (!policy) continue;
        route.config = { ...(route.config as object), [POLICY]: policy } as typeof route.config;
        // The table only tightens: a smaller BODY_LIMIT_BYTES still wins.
        if (policy.bodyLimitBytes && !route.bodyLimit) {
          route.bodyLimit = Math.min(policy.bodyLimitBytes, this.config.http.bodyLimitBytes);
        }
      }
    });
    // preParsing: after CORS (its onRequest hook), so a browser can read the 429; before the body.
    fastify.addHook('preParsing', async (req, reply, payload) => {
      if (contentLengthOverCap(req)) {
        // The body stays unread: close the connection after the answer rather than drain it.
        reply.header('Connection', 'close');
        throw payloadTooLarge('body', req.routeOptions.bodyLimit as number);
      }
      const policy = policyOf(req);
      if (policy) await this.take(policy, 'ip', ipKey(req.ip));
      return payload;
    });
    // Nothing to flush: counters are written by each consume.
    fastify.addHook('onClose', async () => this.redis?.disconnect());
  }

  /** The account and key budgets, once the guards have authenticated the caller. */
  interceptor(): NestInterceptor {
    return new AbuseLimitInterceptor(this);
  }

  async afterAuthentication(req: FastifyRequest & { user?: Actor }): Promise<void> {
    const policy = policyOf(req);
    const actor = req.user;
    if (!policy || !actor) return;
    if (actor.kind === 'api_key') await this.take(policy, 'principal', `key:${actor.apiKeyId}`);
    else {
      await this.take(policy, 'principal', `acct:${actor.userId}`);
      await this.take(policy, 'account', `acct:${actor.userId}`);
    }
  }

  private async take(policy: RoutePolicy, by: LimitKey, key: string): Promise<void> {
    for (const { name, by: kind } of policy.limits) {
      if (kind !== by) continue;
      const limiter = this.limiters.get(name) as RateLimiterAbstract;
      try {
        await limiter.consume(key);
      } catch (err) {
        // Not a verdict (neither store answered; the insurance limiter makes this unreachable): let it in.
        if (!(err instanceof RateLimiterRes)) continue;
        throw new AbuseLimitException('RATE_LIMITED', {
          retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)),
          extensions: { limit: name, per: by === 'principal' && key.startsWith('key:') ? 'apiKey' : by },
        });
      }
    }
  }
}

@Injectable()
class AbuseLimitInterceptor implements NestInterceptor {
  constructor(private readonly limits: AbuseLimits) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: Actor }>();
    return from(this.limits.afterAuthentication(req)).pipe(switchMap(() => next.handle()));
  }
}

/**
 * A declared Content-Length over the route's cap is refused before a byte of the body is read,
 * naming the cap (Fastify would read up to the cap first and then say only "too large").
 */
function contentLengthOverCap(req: FastifyRequest): boolean {
  const declared = Number(req.headers['content-length']);
  const limit = req.routeOptions?.bodyLimit;
  if (!limit || !Number.isFinite(declared)) return false;
  const multipart = /^multipart\//i.test(req.headers['content-type'] ?? '');
  return declared > limit + (multipart ? MULTIPART_SLACK_BYTES : 0);
}

/** 413 problem+json naming the field and the cap in bytes (`limitBytes`). */
export function payloadTooLarge(field: string, limitBytes: number): HttpProblem {
  // The filter copies `extensions` into the problem document (HttpProblem's type does not list it yet).
  const options: ConstructorParameters<typeof HttpProblem>[1] & { extensions: Record<string, unknown> } = {
    field,
    extensions: { limitBytes },
  };
  return new HttpProblem('PAYLOAD_TOO_LARGE', options);
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; vi: string; en: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    vi: 'Yêu cầu gửi đến quá chậm và đã bị ngắt.',
    en: 'The request arrived too slowly and was cut off.',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    vi: 'Tiêu đề yêu cầu quá lớn.',
    en: 'The request headers are too large.',
  },
};

/**
 * Node's clientError (the request never reached Fastify's router: too slow, headers too large,
 * not HTTP): one problem+json answer, then the socket is closed. The locale is unknown here (the
 * headers may be incomplete), so Vietnamese, the default, with the English in `detail`.
 */
function clientErrorAsProblem(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[err.code ?? ''] ?? {
    status: 400,
    code: 'BAD_REQUEST',
    vi: 'Yêu cầu HTTP không hợp lệ.',
    en: 'The HTTP request is malformed.',
  };
  const body = JSON.stringify({
    type: `urn:hocso:problem:${known.code.toLowerCase().replace(/_/g, '-')}`,
    title: known.vi,
    status: known.status,
    detail: known.en,
    code: known.code,
  });
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !response?.headersSent) {
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
