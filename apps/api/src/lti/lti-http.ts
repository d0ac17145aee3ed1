import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Route config (Nest's @RouteConfig) for the LTI endpoints that platforms and browsers POST as
 * HTML forms (`application/x-www-form-urlencoded`: OIDC login initiation, the form_post launch, the
 * deep-linking picker). Fastify does not parse forms; every other route keeps answering 415.
 */
export interface LtiRouteConfig {
  hocsoForm?: boolean;
}

export const LTI_FORM_ROUTE: LtiRouteConfig = { hocsoForm: true };

/** An id_token with many claims is a few KB; a picker posts a few hundred item ids. */
export const LTI_FORM_MAX_BYTES = 256 * 1024;
const FORM = 'application/x-www-form-urlencoded';

function unsupportedMediaType(): Error {
  return Object.assign(new Error('Unsupported Media Type'), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });
}

/**
 * Form fields as a null-prototype object (so `__proto__` is just a key); a repeated field becomes
 * an array, which the handlers refuse where they expect one value.
 */
export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(body)) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** Registers the form parser (once), limited to routes marked LTI_FORM_ROUTE. */
export function registerLtiFormParser(fastify: FastifyInstance): void {
  if (fastify.hasContentTypeParser(FORM)) {
    new Logger('Lti').warn(`a parser for ${FORM} is already registered; the LTI routes rely on it`);
    return;
  }
  fastify.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: LTI_FORM_MAX_BYTES }, (req, body, done) => {
    const config = ((req as FastifyRequest).routeOptions?.config ?? {}) as LtiRouteConfig;
    if (!config.hocsoForm) return done(unsupportedMediaType(), undefined);
    done(null, parseForm(body as string));
  });
  // The global JSON (and multipart) parsers would read other bodies on these routes too: a form
  // route with a body that is not a form is a 415, like everywhere else.
  fastify.addHook('preValidation', (req, _reply, done) => {
    const config = (req.routeOptions?.config ?? {}) as LtiRouteConfig;
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (config.hocsoForm && req.body !== undefined && type && type !== FORM) return done(unsupportedMediaType());
    done();
  });
}
