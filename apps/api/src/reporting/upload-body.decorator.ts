import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface Upload {
  contentType: string | undefined;
  body: unknown;
}

/** The raw upload (JSON, CSV text or multipart fields) for the reporting lib to read and check. */
export const UploadBody = createParamDecorator((_: unknown, ctx: ExecutionContext): Upload => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return { contentType: request.headers['content-type'], body: request.body };
});
