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
}): DataSourceOptions {
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
    extra: { max: params.poolSize, application_name: params.applicationName ?? 'hocso' },
  };
}
