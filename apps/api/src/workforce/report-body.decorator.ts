import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type ReportSubmission, ReportTooLargeError, readSubmission } from '@hocso/workforce';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../http/http-errors';

/**
 * The training report in the request — JSON `{ sessions }`, a text/csv body or a multipart CSV
 * upload — checked for shape, header and size (more than 100,000 rows → 413 problem+json).
 */
export const ReportBody = createParamDecorator((_: unknown, ctx: ExecutionContext): ReportSubmission => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  try {
    return readSubmission(request.headers['content-type'], request.body);
  } catch (err) {
    if (err instanceof ReportTooLargeError) throw new HttpProblem('PAYLOAD_TOO_LARGE', { field: err.field });
    throw err;
  }
});
