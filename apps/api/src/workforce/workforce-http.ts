import multipart from '@fastify/multipart';
import { REPORT_MAX_BYTES } from '@hocso/workforce';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Route config (Nest's @RouteConfig) understood by the hooks below:
 * `hocsoBodyLimit` raises the route's body limit; `hocsoCsv` lets the route take text/csv bodies
 * and multipart uploads (every other route keeps answering 415 to them).
 */
export interface WorkforceRouteConfig {
  hocsoBodyLimit?: number;
  hocsoCsv?: boolean;
}

/** Training reports: 20 MB of JSON, text/csv or a multipart CSV upload. */
export const REPORT_UPLOAD_ROUTE: WorkforceRouteConfig = { hocsoBodyLimit: REPORT_MAX_BYTES, hocsoCsv: true };
/** Worker rosters: large JSON bodies (up to 50,000 workers). */
export const LARGE_JSON_ROUTE: WorkforceRouteConfig = { hocsoBodyLimit: REPORT_MAX_BYTES };

const routeConfig = (req: FastifyRequest) => (req.routeOptions?.config ?? {}) as WorkforceRouteConfig;

function unsupportedMediaType(): Error {
  return Object.assign(new Error('Unsupported Media Type'), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });
}

/**
 * Body handling for the workforce routes, registered on the Fastify instance before Nest adds its
 * routes (create-api-app.ts calls this once):
 *  - per-route body limits from route config (larger than the global BODY_LIMIT_BYTES);
 *  - a text/csv (and application/csv) parser that hands the body over as a string, so the
 *    idempotency interceptor can hash it like any JSON body;
 *  - @fastify/multipart with `attachFieldsToBody: 'keyValues'`: the uploaded file becomes a string
 *    field of `request.body` (again hashable), limited to one file of 20 MB (more → 413).
 */
export function registerWorkforceHttp(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as WorkforceRouteConfig | undefined)?.hocsoBodyLimit;
    if (limit && !route.bodyLimit) route.bodyLimit = limit;
  });
  fastify.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'string', bodyLimit: REPORT_MAX_BYTES },
    (req, body, done) => {
      if (!routeConfig(req).hocsoCsv) return done(unsupportedMediaType(), undefined);
      done(null, body);
    },
  );
  // Runs before multipart's own preValidation hook (registered later): other routes keep their 415.
  fastify.addHook('preValidation', async (req) => {
    if (req.isMultipart?.() && !routeConfig(req).hocsoCsv) throw unsupportedMediaType();
  });
  void fastify.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: REPORT_MAX_BYTES, files: 1, fields: 10, fieldSize: 1024, parts: 11 },
    async onFile(part) {
      (part as unknown as { value: string }).value = (await part.toBuffer()).toString('utf8');
    },
  });
}
