import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, loadConfig } from '@hocso/config';
import { stopEmbeddedPostgres } from '@hocso/database';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createApiApp } from '../../../apps/api/src/create-api-app';
import { adminQuery, currentServices, templateDb, withDatabase } from './services';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** supertest bound to the running server */
  http: () => request.Agent;
  /** the database URL this file's app uses */
  databaseUrl?: string;
  /** with `captureLogs`: every structured (pino) log entry of the api, parsed, in order */
  logs: Record<string, unknown>[];
  /** with `captureLogs`: the same entries as the raw lines pino wrote (to search for leaked secrets) */
  logLines: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** extra environment variables (override the test defaults) */
  env?: Record<string, string | undefined>;
  /** run the BullMQ consumers in the api process (RUN_WORKER) */
  worker?: boolean;
  /** force a backend: 'embedded' = no DATABASE_URL/REDIS_URL; 'postgres-queue' = real PG, no Redis */
  mode?: 'default' | 'embedded' | 'postgres-queue';
  /** keep the api's structured logs (LOG_LEVEL info unless env sets one) in `logs`/`logLines` */
  captureLogs?: boolean;
}

/**
 * Boots the real api (same factory as main.ts) against this file's own database — a copy of the
 * migrated template — and a Redis key prefix of its own. In embedded mode (no services), PGlite in
 * a temporary folder and BullMQ's PostgreSQL backend.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const services = currentServices();
  const id = randomBytes(5).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'hocso-test-'));
  const embedded = options.mode === 'embedded' || services.mode === 'embedded';
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (!embedded && services.pgAdminUrl) {
    dbName = `hocso_t_${id}`;
    await adminQuery(services.pgAdminUrl, `CREATE DATABASE ${dbName} TEMPLATE ${templateDb()}`);
    databaseUrl = withDatabase(services.pgAdminUrl, dbName);
  }
  const redisUrl = !embedded && options.mode !== 'postgres-queue' ? services.redisUrl : undefined;
  const prefix = `hocso-t-${id}`;
  const dropDatabase = async () => {
    if (dbName && services.pgAdminUrl) {
      await adminQuery(services.pgAdminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    }
  };
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    DATA_DIR: dataDir,
    JWT_SECRET: `test-secret-${randomBytes(24).toString('hex')}`,
    LOG_LEVEL: options.captureLogs ? 'info' : 'silent',
    RUN_WORKER: options.worker ? 'true' : 'false',
    DB_POOL_SIZE: '5',
    // Files that need courses import them (or a fixture) themselves; boots stay fast.
    CONTENT_IMPORT_ON_START: 'false',
    // Every request of a test file comes from 127.0.0.1: the limits stay in the path but high
    // (NODE_ENV=test also makes RATE_LIMIT_MULTIPLIER 1000); test/abuse-limits and throttling set real ones.
    LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    CONTENT_API_ANON_RATE_PER_MINUTE: '100000',
    ...options.env,
  };
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (err) {
    // A refused configuration (what some tests check) leaves no database or folder behind.
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const logs: Record<string, unknown>[] = [];
  const logLines: string[] = [];
  // pino writes one JSON document per line to this stream (synchronously), as it would to stdout.
  const logStream = {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (!line) continue;
        logLines.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
    },
  };
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApiApp(config, options.captureLogs ? { logger: true, logStream } : { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (err) {
    // A start-up that fails half-way (e.g. a refused Redis) must not leave connections open.
    await app?.close().catch(() => undefined);
    await stopEmbeddedPostgres();
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const server = app.getHttpServer();
  const started = app;
  return {
    app: started,
    config,
    databaseUrl,
    logs,
    logLines,
    http: () => request.agent(server),
    async close() {
      await started.close();
      await stopEmbeddedPostgres();
      if (redisUrl) await deleteKeys(redisUrl, `${prefix}*`);
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function deleteKeys(url: string, pattern: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
