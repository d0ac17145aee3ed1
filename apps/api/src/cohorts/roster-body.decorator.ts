import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type ParsedRoster, readRoster } from '@hocso/cohorts';
import type { FastifyRequest } from 'fastify';
import { payloadTooLarge } from '../http/abuse-limits';
import type { WorkforceRouteConfig } from '../workforce/workforce-http';

const ROSTER_MAX_BYTES = 2 * 1024 * 1024;

/** Rosters: JSON `{ members }`, a text/csv body or a multipart CSV upload (field "file"), ≤ 2 MB. */
export const ROSTER_UPLOAD_ROUTE: WorkforceRouteConfig = { hocsoBodyLimit: ROSTER_MAX_BYTES, hocsoCsv: true };

/** The roster in the request, parsed and checked row by row (whole-request problems are 4xx). */
export const RosterBody = createParamDecorator((_: unknown, ctx: ExecutionContext): ParsedRoster => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  // A multipart upload is only capped at the reports' 20 MB by the shared parser: hold rosters to 2 MB
  // (413 naming the cap, as the route's own body limit does; ROSTER_TOO_LARGE is about rows).
  const file = (request.body as { file?: unknown } | null)?.file;
  if (typeof file === 'string' && Buffer.byteLength(file) > ROSTER_MAX_BYTES) {
    throw payloadTooLarge('file', ROSTER_MAX_BYTES);
  }
  return readRoster(request.headers['content-type'], request.body);
});
