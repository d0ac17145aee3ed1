import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { type AppConfig, ConfigModule } from '@hocso/config';
import { DatabaseModule } from '@hocso/database';
import { CertificationModule } from '@hocso/certification';
import { CohortsModule } from '@hocso/cohorts';
import { EmbedModule } from '@hocso/embed';
import { CoursesModule } from '@hocso/courses';
import { IdentityModule } from '@hocso/identity';
import { LearningModule } from '@hocso/learning';
import { LtiModule } from '@hocso/lti';
import { QueueModule } from '@hocso/queue';
import { ReportingModule } from '@hocso/reporting';
import { WorkforceModule } from '@hocso/workforce';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options as HttpLogOptions } from 'pino-http';
import { WorkerJobsModule } from '../../worker/src/worker-jobs.module';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuthController } from './auth/auth.controller';
import { InvitationsController } from './auth/invitations.controller';
import { CertificatesController, WellKnownController } from './certification/certificates.controller';
import { VerifyPageController } from './certification/verify-page.controller';
import { CohortsController, MyCohortsController } from './cohorts/cohorts.controller';
import { TrainersController } from './cohorts/trainers.controller';
import { ContentController } from './embed/content.controller';
import { EmbedController } from './embed/embed.controller';
import { IntegratorsController } from './embed/integrators.controller';
import { CompetenciesController } from './courses/competencies.controller';
import { CoursesController } from './courses/courses.controller';
import { HealthController } from './health/health.controller';
import { LearningController } from './learning/learning.controller';
import { LTI_CONTROLLERS } from './lti';
import { MetricsService } from './health/metrics.service';
import { ApiKeyStrategy } from './http/auth/api-key.strategy';
import { ActorGuard } from './http/auth/auth.guard';
import { JwtStrategy } from './http/auth/jwt.strategy';
import { EtagInterceptor } from './http/etag.interceptor';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { createValidationPipe } from './http/request-validation.exception';
import { RouteIndex } from './http/route-index';
import { MeController } from './me/me.controller';
import { OrgUnitsController } from './org-units/org-units.controller';
import { SeedOnStart } from './seed-on-start';
import {
  KpisController,
  OfficialRostersController,
  ParkEnterpriseListsController,
  PopulationStatsController,
} from './reporting/kpis.controller';
import { UsersController } from './users/users.controller';
import { WebController } from './web/web.controller';
import { EnterprisesController } from './workforce/enterprises.controller';
import { IndustrialParksController } from './workforce/industrial-parks.controller';
import { TrainingReportsController } from './workforce/training-reports.controller';
import { WorkerInvitationsController } from './workforce/worker-invitations.controller';
import { WorkforceController } from './workforce/workforce.controller';

function httpLogOptions(config: AppConfig): HttpLogOptions {
  return {
    level: config.logLevel,
    genReqId: (req) => String(req.headers['x-request-id']),
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
    autoLogging: { ignore: (req) => req.url?.startsWith('/health') ?? false },
    customProps: () => ({ service: 'api' }),
  };
}

@Module({})
export class ApiModule {
  /** `logStream`: where pino writes (default stdout); tests pass one to read the structured logs. */
  static forRoot(
    config: AppConfig,
    routes: RouteIndex = new RouteIndex(),
    logStream?: DestinationStream,
  ): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // nestjs-pino's default route pattern ('{/*splat}') matches no request under Nest 12's
          // Fastify adapter, so there were no request logs and no request context on log entries.
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          // Without a stream, pino's own default (stdout).
          pinoHttp: logStream ? [httpLogOptions(config), logStream] : httpLogOptions(config),
        }),
        DatabaseModule.forRoot({ migrate: config.db.migrate, applicationName: 'hocso-api' }),
        QueueModule,
        PassportModule,
        IdentityModule,
        CoursesModule,
        LearningModule,
        CohortsModule,
        CertificationModule,
        LtiModule,
        EmbedModule,
        WorkforceModule,
        ReportingModule,
        // RUN_WORKER=true (the default, and embedded mode): the BullMQ consumers run in this process.
        ...(config.runWorker ? [WorkerJobsModule] : []),
      ],
      controllers: [
        AuthController,
        InvitationsController,
        MeController,
        UsersController,
        OrgUnitsController,
        ApiKeysController,
        CoursesController,
        LearningController,
        CompetenciesController,
        CohortsController,
        MyCohortsController,
        TrainersController,
        CertificatesController,
        WellKnownController,
        VerifyPageController,
        IntegratorsController,
        ContentController,
        EmbedController,
        IndustrialParksController,
        EnterprisesController,
        TrainingReportsController,
        WorkerInvitationsController,
        WorkforceController,
        KpisController,
        PopulationStatsController,
        OfficialRostersController,
        ParkEnterpriseListsController,
        ...LTI_CONTROLLERS,
        HealthController,
        WebController,
      ],
      providers: [
        { provide: RouteIndex, useValue: routes },
        MetricsService,
        JwtStrategy,
        ApiKeyStrategy,
        IdempotencyInterceptor,
        EtagInterceptor,
        SeedOnStart,
        { provide: APP_GUARD, useClass: ActorGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
