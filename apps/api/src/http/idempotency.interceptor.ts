import { createHash } from 'node:crypto';
import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { Actor } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { IdempotencyKeyEntity } from '@hocso/database';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { HttpProblem } from './http-errors';
import { RequestValidationException, screenInput } from './request-validation.exception';

const IDEMPOTENCY = Symbol('IDEMPOTENCY');
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** How long a first attempt holds its key before a retry may take it over (longer than any request runs). */
export const IN_PROGRESS_LEASE_SECONDS = 30;

/**
 * Makes a write safely retryable (IETF draft-ietf-httpapi-idempotency-key-header; Stripe's
 * practice): the first request with a key runs and its response is stored for
 * IDEMPOTENCY_TTL_HOURS; a retry with the same key and body gets that response again
 * (`Idempotent-Replayed: true`); the same key with another body → 422; a retry while the first is
 * still running → 409; a missing key where `required` → 400. Failed requests store nothing, so a
 * corrected retry can reuse the key.
 */
export const Idempotent = (options: { required: boolean }) =>
  applyDecorators(
    SetMetadata(IDEMPOTENCY, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: options.required,
      description: 'Unique key (≤ 255 characters, e.g. a UUID v4) that makes retries of this request safe.',
    }),
  );

/** Canonical JSON (sorted keys) so that key order does not make two equal bodies differ. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.run(context, next));
  }

  private async run(context: ExecutionContext, next: CallHandler): Promise<unknown> {
    const options = this.reflector.get<{ required: boolean }>(IDEMPOTENCY, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Actor }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined) {
      if (options?.required) throw new HttpProblem('IDEMPOTENCY_KEY_REQUIRED', { field: 'Idempotency-Key' });
      return lastValueFrom(next.handle());
    }
    if (!KEY_PATTERN.test(key)) throw new HttpProblem('IDEMPOTENCY_KEY_REQUIRED', { field: 'Idempotency-Key' });

    const actor = request.user;
    const scope = actor
      ? actor.kind === 'user'
        ? `user:${actor.userId}`
        : `key:${actor.apiKeyId}`
      : `ip:${request.ip}`;
    const path = request.url.split('?')[0];
    // The body is hashed before the validation pipe runs: the same input rules first (depth, NUL,
    // lone surrogates), so a 10,000-deep body is a 400 here too, not a stack overflow.
    const invalid = screenInput(request.body);
    if (invalid.length) throw new RequestValidationException(invalid);
    const requestHash = createHash('sha256')
      .update(`${request.method} ${path}\n${canonicalJson(request.body)}`)
      .digest('hex');
    const repo = this.dataSource.getRepository(IdempotencyKeyEntity);
    const expiresAt = new Date(Date.now() + this.config.idempotency.ttlHours * 3600_000);
    const inserted = await repo
      .createQueryBuilder()
      .insert()
      .values({ scope, key, method: request.method, path, requestHash, state: 'in_progress', expiresAt })
      .orIgnore()
      .returning(['key'])
      .execute();

    if (inserted.raw.length === 0) {
      const existing = await repo.findOneBy({ scope, key });
      if (!existing) throw new HttpProblem('IDEMPOTENCY_KEY_IN_PROGRESS', { retryAfterSeconds: 1 });
      if (existing.requestHash !== requestHash) {
        throw new HttpProblem('IDEMPOTENCY_KEY_REUSED', { field: 'Idempotency-Key' });
      }
      if (existing.state === 'completed') {
        reply.status(existing.responseStatus ?? 200);
        for (const [k, v] of Object.entries(existing.responseHeaders ?? {})) reply.header(k, v);
        reply.header('Idempotent-Replayed', 'true');
        return existing.responseBody;
      }
      // In progress. A first attempt whose process or database died cannot clean up after itself;
      // once its lease is over a retry takes the key over (atomically: one retry wins) and runs —
      // otherwise the key would answer 409 until it expires. The routes are idempotent by their own
      // keys too (a re-run stores nothing twice).
      const taken = await repo
        .createQueryBuilder()
        .update()
        .set({ createdAt: () => 'now()' })
        .where('scope = :scope AND key = :key AND state = :state', { scope, key, state: 'in_progress' })
        .andWhere('created_at < now() - make_interval(secs => :lease)', { lease: IN_PROGRESS_LEASE_SECONDS })
        .execute();
      if (!taken.affected) throw new HttpProblem('IDEMPOTENCY_KEY_IN_PROGRESS', { retryAfterSeconds: 1 });
    }

    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const status =
        this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
        (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
      const location = reply.getHeader('location');
      await repo.update(
        { scope, key },
        {
          state: 'completed',
          responseStatus: status,
          responseBody: (body ?? null) as never,
          responseHeaders: typeof location === 'string' ? { Location: location } : null,
        },
      );
      return body;
    } catch (err) {
      await repo.delete({ scope, key }).catch(() => undefined);
      throw err;
    }
  }
}
