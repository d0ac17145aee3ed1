import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type Locale, localeFrom } from '../http/locale';

/** The response language from Accept-Language (vi by default, en), as problem documents use it. */
export const RequestLocale = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Locale =>
    localeFrom(ctx.switchToHttp().getRequest<FastifyRequest>().headers['accept-language']),
);
