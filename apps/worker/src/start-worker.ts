import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '@hocso/config';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/** Starts the worker process's application context. */
export async function startWorker(
  config: AppConfig,
  options: { logger?: boolean } = {},
): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
    logger: options.logger === false ? false : undefined,
    abortOnError: false,
  });
  if (options.logger !== false) ctx.useLogger(ctx.get(Logger));
  await ctx.init();
  return ctx;
}
