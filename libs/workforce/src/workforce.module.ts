import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CohortsModule } from '@hocso/cohorts';
import { LearningModule } from '@hocso/learning';
import { IdentityModule, OrgUnitEntity } from '@hocso/identity';
import { ComplianceSnapshotEntity, ComplianceWeekEntity } from './entities/compliance-week.entity';
import { EnterpriseEntity } from './entities/enterprise.entity';
import { IndustrialParkEntity } from './entities/industrial-park.entity';
import { TrainingReportEntity } from './entities/training-report.entity';
import { TrainingReportErrorEntity } from './entities/training-report-error.entity';
import { TrainingSessionEntity } from './entities/training-session.entity';
import { WeeklyEnterpriseComplianceEntity } from './entities/weekly-enterprise-compliance.entity';
import { WeeklyWorkerMinutesEntity } from './entities/weekly-worker-minutes.entity';
import { WorkerEntity } from './entities/worker.entity';
import { WorkerInvitationEntity } from './entities/worker-invitation.entity';
import { WorkforceNotificationEntity } from './entities/workforce-notification.entity';
import { WorkforceSettingsEntity } from './entities/workforce-settings.entity';
import { ComplianceService } from './services/compliance.service';
import { EnterprisesService } from './services/enterprises.service';
import { WORKER_EXTRA_MINUTES, WorkerExtraMinutesRegistry } from './services/extra-minutes';
import { LearningMinutesBinding } from './services/learning-minutes.binding';
import { NotificationsService } from './services/notifications.service';
import { ReportIngestService } from './services/report-ingest.service';
import { TrainingReportsService } from './services/training-reports.service';
import { WeeklyCloseService } from './services/weekly-close.service';
import { WorkersService } from './services/workers.service';
import { WorkforceAccess } from './services/workforce-access.service';
import { WorkforceClock } from './services/workforce-clock';
import { WorkforcePersonalData } from './services/workforce-personal-data';
import { WorkforceSettingsService } from './services/workforce-settings.service';

const services = [
  ComplianceService,
  EnterprisesService,
  NotificationsService,
  ReportIngestService,
  TrainingReportsService,
  WeeklyCloseService,
  WorkersService,
  WorkforceAccess,
  WorkforceSettingsService,
  WorkerExtraMinutesRegistry,
  WorkforceClock,
];

/**
 * Industrial-park workforce: parks, enterprises, rosters, training reports, weekly compliance.
 * WORKER_EXTRA_MINUTES is the WorkerExtraMinutesRegistry (see extra-minutes.ts), with Hocso's own
 * learning minutes and cohort attendance minutes registered (LearningMinutesBinding).
 */
@Module({
  imports: [
    IdentityModule,
    LearningModule,
    CohortsModule,
    TypeOrmModule.forFeature([
      OrgUnitEntity,
      IndustrialParkEntity,
      EnterpriseEntity,
      WorkerEntity,
      WorkerInvitationEntity,
      TrainingReportEntity,
      TrainingReportErrorEntity,
      TrainingSessionEntity,
      WeeklyWorkerMinutesEntity,
      WeeklyEnterpriseComplianceEntity,
      ComplianceWeekEntity,
      ComplianceSnapshotEntity,
      WorkforceNotificationEntity,
      WorkforceSettingsEntity,
    ]),
  ],
  providers: [
    ...services,
    WorkforcePersonalData,
    LearningMinutesBinding,
    { provide: WORKER_EXTRA_MINUTES, useExisting: WorkerExtraMinutesRegistry },
  ],
  exports: [...services, WORKER_EXTRA_MINUTES],
})
export class WorkforceModule {}
