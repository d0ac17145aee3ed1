import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@hocso/config';
import { DatabaseModule } from '@hocso/database';
import { QueueModule } from '@hocso/queue';
import { LoggerModule } from 'nestjs-pino';
import { WorkerJobsModule } from './worker-jobs.module';

/** The worker process: BullMQ consumers only, no HTTP server, never migrates. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel, customProps: () => ({ service: 'worker' }) } }),
        DatabaseModule.forRoot({ migrate: false, applicationName: 'hocso-worker' }),
        QueueModule,
        WorkerJobsModule,
      ],
    };
  }
}
