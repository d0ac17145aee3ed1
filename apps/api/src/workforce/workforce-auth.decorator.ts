import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { Role } from '@hocso/common';
import type { ApiKeyScope } from '@hocso/identity';
import { AUTH_POLICY, type AuthPolicy } from '../http/auth/auth.decorators';

/**
 * Either an X-Api-Key carrying `scope` (the enterprise's own systems, a park's key) or a signed-in
 * user with one of `roles`. Which enterprise or park the caller may touch is checked by the service.
 */
export const EnterpriseAuth = (scope: ApiKeyScope, ...roles: Role[]) =>
  applyDecorators(
    SetMetadata(AUTH_POLICY, { roles, apiKeyScopes: [scope] } satisfies AuthPolicy),
    ApiBearerAuth(),
    ApiSecurity('api-key'),
  );
