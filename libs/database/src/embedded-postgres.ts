import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';

/**
 * Embedded mode: a real PostgreSQL (PGlite, WASM) served on 127.0.0.1 by pglite-socket, with its
 * data in DATA_DIR so it survives restarts. pglite-socket multiplexes client connections onto the
 * one PGlite session, so startup options (search_path) are ignored: it is set here, once, on the
 * instance. `public` comes first so TypeORM creates and finds the app tables there; BullMQ's
 * PostgreSQL backend keeps its tables in the `bullmq` schema and finds them second.
 */
export interface EmbeddedPostgres {
  url: string;
  dataDir: string | undefined;
  stop(): Promise<void>;
}

let running: Promise<EmbeddedPostgres> | undefined;

export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number }): Promise<EmbeddedPostgres> {
  if (running) return running;
  running = (async () => {
    const logger = new Logger('EmbeddedPostgres');
    const started = Date.now();
    const { PGlite } = await import('@electric-sql/pglite');
    const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const dir = options.dataDir ? join(options.dataDir, 'pglite') : undefined;
    if (dir) mkdirSync(dir, { recursive: true });
    const db = await PGlite.create({ dataDir: dir, extensions: { unaccent, pg_trgm } });
    await db.exec(`CREATE SCHEMA IF NOT EXISTS bullmq; SET search_path TO public, bullmq;`);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: 64 });
    await server.start();
    const conn = server.getServerConn();
    const url = `postgres://postgres@${conn}/postgres?sslmode=disable`;
    logger.log(`PGlite ${dir ? `in ${dir}` : 'in memory'} serving ${conn} (${Date.now() - started} ms)`);
    return {
      url,
      dataDir: dir,
      async stop() {
        running = undefined;
        await server.stop().catch(() => undefined);
        await db.close().catch(() => undefined);
      },
    };
  })();
  try {
    return await running;
  } catch (err) {
    running = undefined;
    throw err;
  }
}

/** Stops the embedded server if this process started one (after the DataSource is closed). */
export async function stopEmbeddedPostgres(): Promise<void> {
  const current = running;
  if (!current) return;
  await (await current).stop();
}
