import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit } from '@hocso/config';
import { stopEmbeddedPostgres } from '@hocso/database';
import { createApiApp } from './create-api-app';

async function main() {
  const started = Date.now();
  const config = loadConfigOrExit();
  const app = await createApiApp(config);
  await app.listen({ port: config.http.port, host: config.http.host });
  const logger = new Logger('Hocso');
  logger.log(
    `ready in ${Date.now() - started} ms at ${config.http.publicUrl} — database: ${config.db.url ? 'PostgreSQL' : 'embedded PGlite'}, ` +
      `queue: ${config.redis.url ? 'Redis' : 'PostgreSQL'}, worker: ${config.runWorker ? 'in-process' : 'separate process'}`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining`);
    const force = setTimeout(() => process.exit(1), 30_000).unref();
    await app.close();
    await stopEmbeddedPostgres();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Hocso failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  void stopEmbeddedPostgres().finally(() => process.exit(1));
});
