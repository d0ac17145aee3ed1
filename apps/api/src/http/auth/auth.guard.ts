import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportGuard } from '@nestjs/passport';
import { type Actor, hasRole } from '@hocso/common';
import { isDatabaseUnavailable } from '@hocso/database';
import { IdentityException, IdentityExceptionCode } from '@hocso/identity';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../http-errors';
import { AUTH_POLICY, type AuthPolicy } from './auth.decorators';

/**
 * A strategy that could not reach the database (a restart) did not find the credential invalid:
 * that error goes on to the filter (503 + Retry-After), not a 401 that makes clients sign out.
 */
const passThrough = (err: unknown) => err instanceof IdentityException || isDatabaseUnavailable(err);

class JwtGuard extends PassportGuard('jwt') {
  override handleRequest<T>(err: unknown, user: T): T {
    if (passThrough(err)) throw err;
    if (err || !user) throw new IdentityException(IdentityExceptionCode.TOKEN_INVALID);
    return user;
  }
}

class ApiKeyGuard extends PassportGuard('api-key') {
  override handleRequest<T>(err: unknown, user: T): T {
    if (passThrough(err)) throw err;
    if (err || !user) throw new IdentityException(IdentityExceptionCode.API_KEY_INVALID);
    return user;
  }
}

/**
 * The global guard. Authentication is on by default: a route is public only with @Public().
 * Bearer tokens go through passport-jwt, X-Api-Key through the api-key strategy (only where a
 * route accepts keys); then roles and key scopes are checked.
 */
@Injectable()
export class ActorGuard implements CanActivate {
  private readonly jwt = new JwtGuard();
  private readonly apiKey = new ApiKeyGuard();

  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy =
      this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? {};
    if (policy.public) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Actor }>();
    const hasKey = typeof request.headers['x-api-key'] === 'string';
    const hasBearer = /^Bearer\s+\S+/i.test(request.headers.authorization ?? '');

    if (policy.apiKeyScopes && hasKey) {
      await this.apiKey.canActivate(context);
      const actor = request.user as Actor;
      if (actor.kind !== 'api_key' || !policy.apiKeyScopes.every((s) => actor.scopes.includes(s))) {
        throw new IdentityException(IdentityExceptionCode.SCOPE_NOT_ALLOWED);
      }
      return true;
    }
    if (policy.optional && !hasBearer) return true;
    if (policy.apiKeyOnly) {
      throw hasBearer ? new HttpProblem('FORBIDDEN') : new IdentityException(IdentityExceptionCode.API_KEY_INVALID);
    }
    if (!hasBearer) throw new HttpProblem('UNAUTHENTICATED', { headers: { 'WWW-Authenticate': 'Bearer' } });
    await this.jwt.canActivate(context);
    const actor = request.user as Actor;
    if (policy.roles?.length && !hasRole(actor, ...policy.roles)) throw new HttpProblem('FORBIDDEN');
    return true;
  }
}
