// globalSetup runs outside Jest's module map: import by relative path, not @hocso aliases.
import { buildDataSourceOptions } from '../libs/database/src/data-source-options';
import {
  adminQuery,
  DEFAULT_PG_URL,
  DEFAULT_REDIS_URL,
  pgReachable,
  redisReachable,
  withDatabase,
} from '../libs/testing/src/services';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../migrations';

/**
 * Decides where the e2e suite runs and prepares a migrated template database; every test file
 * then gets its own database copied from it (CREATE DATABASE … TEMPLATE), so files run in parallel.
 */
export default async function globalSetup() {
  const pgUrl = process.env.DATABASE_URL || DEFAULT_PG_URL;
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const [pgOk, redisOk] = await Promise.all([pgReachable(pgUrl), redisReachable(redisUrl)]);
  if (!pgOk || !redisOk) {
    const missing = [!pgOk && `PostgreSQL (${pgUrl})`, !redisOk && `Redis (${redisUrl})`].filter(Boolean).join(' and ');
    if (process.env.REQUIRE_SERVICES === '1') {
      throw new Error(`REQUIRE_SERVICES=1 but ${missing} did not answer`);
    }
    process.stdout.write(
      `\nHocso e2e: ${missing} not reachable — running on the embedded defaults (PGlite + BullMQ on PostgreSQL).\n`,
    );
    process.env.HOCSO_TEST_MODE = 'embedded';
    return;
  }
  process.stdout.write(`\nHocso e2e: PostgreSQL at ${new URL(pgUrl).host}, Redis at ${new URL(redisUrl).host}.\n`);
  process.env.HOCSO_TEST_MODE = 'services';
  process.env.HOCSO_TEST_PG_URL = pgUrl;
  process.env.HOCSO_TEST_REDIS_URL = redisUrl;

  const template = `hocso_tpl_${process.pid}_${Date.now().toString(36)}`;
  process.env.HOCSO_TEST_TEMPLATE = template;
  await adminQuery(pgUrl, `CREATE DATABASE ${template}`);
  const ds = new DataSource(
    buildDataSourceOptions({ url: withDatabase(pgUrl, template), poolSize: 2, migrations: ALL_MIGRATIONS }),
  );
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}
