import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { Actor, Role } from '@hocso/common';
import type { ApiKeyScope } from '@hocso/identity';

export const AUTH_POLICY = Symbol('AUTH_POLICY');

export interface AuthPolicy {
  /** no credentials needed */
  public?: boolean;
  /** no credentials needed, but a valid Bearer token identifies the caller */
  optional?: boolean;
  /** user must hold one of these roles */
  roles?: Role[];
  /** an X-Api-Key with every one of these scopes is accepted too */
  apiKeyScopes?: ApiKeyScope[];
  /** only API keys (no user tokens) */
  apiKeyOnly?: boolean;
}

/** No authentication. */
export const Public = () => SetMetadata(AUTH_POLICY, { public: true } satisfies AuthPolicy);

/** Anyone; a caller with a valid Bearer token is identified (so admins may see more). */
export const OptionalAuth = () =>
  applyDecorators(SetMetadata(AUTH_POLICY, { optional: true } satisfies AuthPolicy), ApiBearerAuth());

/** A signed-in user; with roles, one of them. Routes without any decorator behave as @Authenticated(). */
export const Authenticated = (...roles: Role[]) =>
  applyDecorators(SetMetadata(AUTH_POLICY, { roles } satisfies AuthPolicy), ApiBearerAuth());

/** An X-Api-Key carrying every listed scope (enterprises, integrators). */
export const ApiKeyAuth = (...scopes: ApiKeyScope[]) =>
  applyDecorators(
    SetMetadata(AUTH_POLICY, { apiKeyScopes: scopes, apiKeyOnly: true } satisfies AuthPolicy),
    ApiSecurity('api-key'),
  );

/** The authenticated caller; every service method takes it first. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<{ user: Actor }>().user;
});
