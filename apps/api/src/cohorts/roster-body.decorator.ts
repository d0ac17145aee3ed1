import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type ParsedRoster, readRoster } from '@hocso/cohorts';
import type { FastifyRequest } from 'fastify';
import type { WorkforceRouteConfig } from '../workforce/workforce-http';

/** Rosters: JSON `{ members }`, a text/csv body or a multipart CSV upload (field "file"), ≤ 2 MB. */
export const ROSTER_UPLOAD_ROUTE: WorkforceRouteConfig = { hocsoBodyLimit: 2 * 1024 * 1024, hocsoCsv: true };

/** The roster in the request, parsed and checked row by row (whole-request problems are 4xx). */
export const RosterBody = createParamDecorator((_: unknown, ctx: ExecutionContext): ParsedRoster => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return readRoster(request.headers['content-type'], request.body);
});
