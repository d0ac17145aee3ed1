import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit } from '@hocso/config';
import { startWorker } from './start-worker';

async function main() {
  const config = loadConfigOrExit();
  if (!config.db.url) {
    process.stderr.write(
      'Invalid configuration: DATABASE_URL is required for a separate worker (embedded mode runs the worker inside the api: npm start)\n',
    );
    process.exit(1);
  }
  const worker = await startWorker(config);
  const logger = new Logger('Worker');
  logger.log(`worker ready — queue: ${config.redis.url ? 'Redis' : 'PostgreSQL'}`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing active jobs`);
    const force = setTimeout(() => process.exit(1), 30_000).unref();
    await worker.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Hocso worker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
