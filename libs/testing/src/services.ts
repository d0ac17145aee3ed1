import { Client } from 'pg';
import { Redis } from 'ioredis';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** The migrated template of this test run; unique per run so concurrent runs never share one. */
export function templateDb(): string {
  const name = process.env.HOCSO_TEST_TEMPLATE;
  if (!name) throw new Error('HOCSO_TEST_TEMPLATE is not set: the e2e global setup did not run');
  return name;
}

/** What the test run uses, decided once in the e2e global setup and passed to workers by env. */
export interface TestServices {
  mode: 'services' | 'embedded';
  /** admin connection (database "postgres") used to create per-file databases */
  pgAdminUrl?: string;
  redisUrl?: string;
}

export function currentServices(): TestServices {
  const mode = process.env.HOCSO_TEST_MODE === 'embedded' ? 'embedded' : 'services';
  return {
    mode,
    pgAdminUrl: process.env.HOCSO_TEST_PG_URL,
    redisUrl: process.env.HOCSO_TEST_REDIS_URL,
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function pgReachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function redisReachable(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
