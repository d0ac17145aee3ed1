import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@hocso/config';
import { IntegratorsService } from '@hocso/embed';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ApiModule } from './api.module';
import { AbuseLimits } from './http/abuse-limits';
import { MetricsService } from './health/metrics.service';
import { RouteIndex } from './http/route-index';
import { registerWorkforceHttp } from './workforce/workforce-http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the api application (used by main.ts and by the e2e tests): Fastify with body limits,
 * trusted proxies, request ids, abuse limits and slow-request timeouts, security headers, CORS
 * allowlist, problem+json errors, OpenAPI.
 */
export async function createApiApp(
  config: AppConfig,
  options: { logger?: boolean; logStream?: DestinationStream } = {},
): Promise<NestFastifyApplication> {
  const abuse = new AbuseLimits(config);
  const adapter = new FastifyAdapter({
    ...abuse.serverOptions(),
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy.length ? config.http.trustProxy : false,
    // Honour a caller's X-Request-Id when it is sane, otherwise mint one; logs and problems carry it.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      req.headers['x-request-id'] = id;
      return id;
    },
    routerOptions: { ignoreTrailingSlash: true },
  });
  const fastify = adapter.getInstance();
  const routes = new RouteIndex();
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url));
  // JSON only (Nest's urlencoded parser is off too): anything else on a body route is answered 415.
  fastify.removeContentTypeParser(['text/plain']);
  // Workforce training reports: text/csv and multipart CSV uploads, 20 MB route body limits.
  registerWorkforceHttp(fastify);
  // Rate limits and body caps of ABUSE_POLICY (http/abuse-policy.ts): IP budgets before the body is
  // read, account and API-key budgets right after authentication (the interceptor below).
  abuse.register(fastify);

  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config, routes, options.logStream),
    adapter,
    {
      bufferLogs: true,
      bodyParser: false,
      logger: options.logger === false ? false : undefined,
      abortOnError: false,
    },
  );
  if (options.logger !== false) app.useLogger(app.get(Logger));
  // Global interceptors given here run before the module's and the controllers' (idempotency):
  // a throttled request stores nothing.
  app.useGlobalInterceptors(abuse.interceptor());

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  const allowed = new Set(config.http.corsOrigins);
  // CORS: the configured origins, and every origin an integrator registered (their pages call the
  // content API and host the web components).
  const integrators = app.get(IntegratorsService);
  app.enableCors({
    origin: (origin, cb) => {
      if (!origin || origin === 'null') return cb(null, false);
      if (allowed.has(origin)) return cb(null, true);
      integrators.isAllowedOrigin(origin).then(
        (ok) => cb(null, ok),
        () => cb(null, false),
      );
    },
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'Idempotency-Key',
      'X-Api-Key',
      'X-Request-Id',
      'Accept-Language',
    ],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'Idempotent-Replayed', 'Location'],
    maxAge: 600,
  });

  const metrics = app.get(MetricsService);
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Hocso API')
      .setDescription(
        'Học Số — learning platform for digital skills and AI literacy. Errors are RFC 9457 problem+json; ' +
          'messages follow Accept-Language (vi default, en).',
      )
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });

  return app;
}
