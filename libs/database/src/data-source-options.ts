import type { DataSourceOptions, MigrationInterface } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const MIGRATIONS_TABLE = 'typeorm_migrations';

/**
 * The one set of DataSource options, used by Nest (TypeOrmModule) and by the migration CLI.
 * `synchronize` is never on: the schema comes only from the reviewed SQL in migrations/.
 */
export function buildDataSourceOptions(params: {
  url: string;
  poolSize: number;
  migrations: Array<new () => MigrationInterface>;
  entities?: DataSourceOptions['entities'];
  applicationName?: string;
  /**
   * RELIABILITY R14: a slow or silent network must not hold a request or a job for ever. Connect
   * timeout (pool), statement_timeout and idle_in_transaction_session_timeout (server side, set per
   * connection at start-up; 0 = none). Unset = PostgreSQL's defaults (no limit): the migration
   * runner and the test set-up pass none.
   */
  timeouts?: { connectMs: number; statementMs: number; idleInTransactionMs: number };
}): DataSourceOptions {
  const t = params.timeouts;
  return {
    type: 'postgres',
    url: params.url,
    entities: params.entities ?? [],
    migrations: params.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    logging: ['migration'],
    extra: {
      max: params.poolSize,
      application_name: params.applicationName ?? 'hocso',
      ...(t && {
        connectionTimeoutMillis: t.connectMs,
        statement_timeout: t.statementMs,
        // the client's own limit, a little longer: a silent network (no answer at all) ends too
        ...(t.statementMs > 0 && { query_timeout: t.statementMs + 5000 }),
        idle_in_transaction_session_timeout: t.idleInTransactionMs,
      }),
    },
  };
}
