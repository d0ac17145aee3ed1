import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type Actor, assertUnreachable, DomainException, type DomainErrorKind } from '@hocso/common';
import { InvalidCursorError, isDatabaseUnavailable } from '@hocso/database';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { codeForStatus, HTTP_PROBLEMS, HttpProblem } from './http-errors';
import { type Locale, localeFrom } from './locale';
import { RequestValidationException } from './request-validation.exception';
import { RouteIndex } from './route-index';
import { flattenValidationErrors, type FieldError } from './validation-messages';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: Array<{ field: string; message: string }>;
  errorId?: string;
  [extension: string]: unknown;
}

export function statusForKind(kind: DomainErrorKind): number {
  switch (kind) {
    case 'invalid':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'unprocessable':
      return 422;
    case 'rate_limited':
      return 429;
    case 'not_implemented':
      return 501;
    case 'unavailable':
      return 503;
    default:
      return assertUnreachable(kind);
  }
}

/**
 * Members RFC 9457 (and our contract) defines; an extension may not overwrite them. (`errors` may
 * come as an extension — upload row errors — and is replaced only by per-field errors.)
 */
const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId', 'errorId']);

/**
 * Extensions with a reserved name are renamed (`status` → `resourceStatus`): a cohort's state
 * once replaced the HTTP status ("status": "archived" on a 409), which breaks every client that
 * reads `problem.status`.
 */
function safeExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extensions ?? {})) {
    out[RESERVED_MEMBERS.has(k) ? `resource${k[0].toUpperCase()}${k.slice(1)}` : k] = v;
  }
  return out;
}

/** Fastify's own errors (raised before a handler runs) by their code. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
};

interface Mapped {
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

/** A coded error: the field it names (if any) becomes `errors[0]`, retry hints become Retry-After. */
function coded(
  status: number,
  code: string,
  detail: string,
  options: {
    field?: string;
    retryAfterSeconds?: number;
    headers?: Record<string, string>;
    extensions?: Record<string, unknown>;
  },
): Mapped {
  const headers = { ...options.headers };
  if (options.retryAfterSeconds) headers['Retry-After'] = String(options.retryAfterSeconds);
  return {
    status,
    code,
    detail,
    errors: options.field ? [{ field: options.field, message: detail, constraint: code }] : undefined,
    headers,
    extensions: options.extensions,
  };
}

/**
 * The one place errors become HTTP: every failure is an RFC 9457 problem document
 * (application/problem+json) with a stable `code`, per-field `errors` and text in the caller's
 * language. Unknown errors are logged with an id and answered with a generic 500.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly routes: RouteIndex) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const locale = localeFrom(request.headers['accept-language']);
    const mapped = this.map(exception, request, locale);
    const problem: ProblemDocument = {
      ...safeExtensions(mapped.extensions),
      type: `urn:hocso:problem:${mapped.code.toLowerCase().replace(/_/g, '-')}`,
      title: HTTP_PROBLEMS[mapped.code]?.message[locale] ?? mapped.detail,
      status: mapped.status,
      detail: mapped.detail,
      instance: request.url,
      code: mapped.code,
      requestId: String(request.id),
    };
    if (mapped.errors?.length) problem.errors = mapped.errors.map(({ field, message }) => ({ field, message }));
    if (mapped.status >= 500 && mapped.status !== 501) {
      problem.errorId = randomUUID();
      this.logger.error(
        { errorId: problem.errorId, requestId: request.id, err: exception },
        exception instanceof Error ? exception.stack : String(exception),
      );
    } else if (mapped.status === 401 || mapped.status === 403) {
      // Who (the authenticated actor, when the denial came after authentication), where (client IP
      // as the trusted proxies resolve it, method and route): ASVS 16.3.2.
      const actor = (request as FastifyRequest & { user?: Actor }).user;
      this.logger.warn({
        event: 'access.denied',
        status: mapped.status,
        code: mapped.code,
        actor: actor ? (actor.kind === 'user' ? actor.userId : actor.apiKeyId) : null,
        actorKind: actor?.kind ?? null,
        ip: request.ip,
        method: request.method,
        route: request.routeOptions?.url ?? null,
        path: request.url,
        requestId: request.id,
      });
    }
    if (reply.sent) return;
    for (const [k, v] of Object.entries(mapped.headers ?? {})) reply.header(k, v);
    reply
      .status(mapped.status)
      .header('Content-Type', 'application/problem+json; charset=utf-8')
      .header('Content-Language', locale)
      .send(JSON.stringify(problem));
  }

  private map(exception: unknown, request: FastifyRequest, locale: Locale): Mapped {
    if (exception instanceof DomainException) {
      return coded(statusForKind(exception.kind), exception.code, exception.messageIn(locale), exception.options);
    }
    if (exception instanceof HttpProblem) {
      const def = HTTP_PROBLEMS[exception.code];
      return coded(def.status, exception.code, def.message[locale], exception.options);
    }
    if (exception instanceof InvalidCursorError) {
      const detail = HTTP_PROBLEMS.INVALID_CURSOR.message[locale];
      return {
        status: 400,
        code: 'INVALID_CURSOR',
        detail,
        errors: [{ field: 'cursor', message: detail, constraint: 'cursor' }],
      };
    }
    if (exception instanceof RequestValidationException) {
      const errors = flattenValidationErrors(exception.validationErrors, locale);
      return {
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: HTTP_PROBLEMS.VALIDATION_FAILED.message[locale],
        errors,
      };
    }
    // Fastify's own 4xx errors (body parsing, limits) reach us wrapped in an HttpException.
    const fastifyError = (exception instanceof HttpException ? exception.cause : exception) as
      | { statusCode?: number; code?: string; name?: string }
      | undefined;
    if (fastifyError && typeof fastifyError.code === 'string' && fastifyError.code.startsWith('FST_')) {
      const status = fastifyError.statusCode ?? 400;
      if (status >= 400 && status < 500) {
        const code = FASTIFY_CODES[fastifyError.code] ?? codeForStatus(status);
        const def = HTTP_PROBLEMS[code];
        return { status: def.status, code, detail: def.message[locale] };
      }
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const message = exception.message ?? '';
      // Nest's router answers unmatched requests with "Cannot <METHOD> <path>".
      if (status === 404 && /^Cannot [A-Z]+ /.test(message)) {
        const allowed = this.routes.allowedMethods(request.url);
        if (allowed.length > 0) {
          return {
            status: 405,
            code: 'METHOD_NOT_ALLOWED',
            detail: HTTP_PROBLEMS.METHOD_NOT_ALLOWED.message[locale],
            headers: { Allow: allowed.join(', ') },
          };
        }
        return { status: 404, code: 'ROUTE_NOT_FOUND', detail: HTTP_PROBLEMS.ROUTE_NOT_FOUND.message[locale] };
      }
      const code = codeForStatus(status);
      return { status, code, detail: HTTP_PROBLEMS[code]?.message[locale] ?? message };
    }
    // The database restarting or unreachable: the request may be retried (RELIABILITY RC8).
    if (isDatabaseUnavailable(exception)) {
      return coded(503, 'SERVICE_UNAVAILABLE', HTTP_PROBLEMS.SERVICE_UNAVAILABLE.message[locale], {
        retryAfterSeconds: 5,
      });
    }
    return { status: 500, code: 'INTERNAL_ERROR', detail: HTTP_PROBLEMS.INTERNAL_ERROR.message[locale] };
  }
}
