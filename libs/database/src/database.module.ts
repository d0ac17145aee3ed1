import { type DynamicModule, Inject, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../../migrations';
import { buildDataSourceOptions } from './data-source-options';
import { startEmbeddedPostgres } from './embedded-postgres';
import { runMigrationsLocked } from './migrate';

export const DATABASE_URL = Symbol('DATABASE_URL');

/** The URL the process talks to: DATABASE_URL, or the embedded PGlite server started on demand. */
export async function resolveDatabaseUrl(config: AppConfig): Promise<string> {
  if (config.db.url) return config.db.url;
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.db.embeddedPort });
  return embedded.url;
}

@Injectable()
class MigrateOnStart implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}
  async onModuleInit() {
    if (!this.config.db.migrate) {
      new Logger('Migrations').log('DB_MIGRATE=false: not migrating');
      return;
    }
    await runMigrationsLocked(this.dataSource);
  }
}

@Module({})
export class DatabaseModule {
  /**
   * @param options.migrate run pending migrations at start (the api only; the worker never migrates)
   */
  static forRoot(options: { migrate: boolean; applicationName: string }): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => ({
            ...buildDataSourceOptions({
              url: await resolveDatabaseUrl(config),
              poolSize: config.db.poolSize,
              migrations: ALL_MIGRATIONS,
              applicationName: options.applicationName,
            }),
            autoLoadEntities: true,
          }),
        }),
      ],
      providers: options.migrate ? [MigrateOnStart] : [],
      exports: [TypeOrmModule],
    };
  }
}
