import { createHash } from 'node:crypto';
import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  type OnModuleInit,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';

const CACHEABLE = Symbol('CACHEABLE');
const POLICY = Symbol('hocso.cachePolicy');

export interface CachePolicy {
  /** seconds a shared cache or browser may reuse the response without asking */
  maxAge: number;
  /** seconds a stale copy may be served while revalidating (weak networks) */
  staleWhileRevalidate?: number;
  /** the content at this URL never changes (e.g. a lesson addressed by its version's id) */
  immutable?: boolean;
}

/**
 * Conditional GETs for read endpoints: the response carries a strong ETag (a hash of the exact
 * bytes sent) and Cache-Control — `public` for anonymous callers, `private, no-cache` when the
 * request carried credentials — and a request whose If-None-Match matches gets 304 with no body.
 * Errors are never tagged.
 */
export const Cacheable = (policy: CachePolicy) =>
  applyDecorators(
    SetMetadata(CACHEABLE, policy),
    UseInterceptors(EtagInterceptor),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a copy you hold; 304 if unchanged' }),
    ApiResponse({ status: 304, description: 'Not modified: your copy (If-None-Match) is current' }),
  );

const registered = new WeakSet<object>();

export function etagOf(payload: string | Buffer): string {
  return `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
}

function matches(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const header = Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/**
 * The interceptor marks the request with the route's policy; one Fastify onSend hook (registered
 * once, at start) hashes the serialised body, sets the headers and turns a match into a 304.
 */
@Injectable()
export class EtagInterceptor implements NestInterceptor, OnModuleInit {
  constructor(
    private readonly reflector: Reflector,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || registered.has(fastify)) return;
    registered.add(fastify);
    fastify.addHook('onSend', async (request, reply, payload) => {
      const policy = (request as FastifyRequest & { [POLICY]?: CachePolicy })[POLICY];
      if (!policy || reply.statusCode !== 200 || !(typeof payload === 'string' || Buffer.isBuffer(payload))) {
        return payload;
      }
      const etag = etagOf(payload);
      const shared = !request.headers.authorization && !request.headers['x-api-key'];
      const swr = policy.staleWhileRevalidate ? `, stale-while-revalidate=${policy.staleWhileRevalidate}` : '';
      reply.header('ETag', etag);
      reply.header(
        'Cache-Control',
        shared ? `public, max-age=${policy.maxAge}${swr}${policy.immutable ? ', immutable' : ''}` : 'private, no-cache',
      );
      const vary = reply.getHeader('Vary');
      reply.header('Vary', vary ? `${vary}, Authorization` : 'Authorization');
      if (matches(request.headers['if-none-match'], etag)) {
        reply.code(304);
        reply.removeHeader('Content-Type');
        reply.removeHeader('Content-Length');
        return '';
      }
      return payload;
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const policy = this.reflector.get<CachePolicy | undefined>(CACHEABLE, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest & { [POLICY]?: CachePolicy }>();
    if (policy && (request.method === 'GET' || request.method === 'HEAD')) request[POLICY] = policy;
    return next.handle();
  }
}
