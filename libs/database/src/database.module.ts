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
    // Migrations get a pool of their own without the statement timeout: building an index on a
    // large table may take longer than any request should. (Only the api migrates.)
    if (!poolTimeouts(this.config, 'hocso-api')?.statementMs) {
      await runMigrationsLocked(this.dataSource);
      return;
    }
    const migrations = new DataSource(
      buildDataSourceOptions({
        url: (this.dataSource.options as { url: string }).url,
        poolSize: 2,
        migrations: ALL_MIGRATIONS,
        applicationName: 'hocso-migrate',
      }),
    );
    await migrations.initialize();
    try {
      await runMigrationsLocked(migrations);
    } finally {
      await migrations.destroy();
    }
  }
}

/** Timeouts of a process's pool (RELIABILITY R14): a job may run longer than a request; the cli has none. */
export function poolTimeouts(config: AppConfig, applicationName: string) {
  const t = config.db.timeouts;
  if (applicationName === 'hocso-cli') return undefined;
  // The embedded PGlite server (no DATABASE_URL) is one process's own: only the connect timeout.
  if (!config.db.url) return { connectMs: t.connectMs, statementMs: 0, idleInTransactionMs: 0 };
  const runsJobs = applicationName === 'hocso-worker' || config.runWorker;
  return {
    connectMs: t.connectMs,
    statementMs: runsJobs ? t.workerStatementMs : t.apiStatementMs,
    idleInTransactionMs: t.idleInTransactionMs,
  };
}

@Module({})
export class DatabaseModule {
  /**
   * @param options.migrate run pending migrations at start (the api only; the worker never migrates)
   * @param options.applicationName hocso-api, hocso-worker or hocso-cli: the worker's connections
   *   (and an api's running the jobs in-process) get the worker's statement timeout, the cli none
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
              timeouts: poolTimeouts(config, options.applicationName),
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
