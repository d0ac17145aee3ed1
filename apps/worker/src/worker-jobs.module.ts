import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CertificationModule } from '@hocso/certification';
import { CohortsModule } from '@hocso/cohorts';
import { EmbedModule } from '@hocso/embed';
import { IdentityModule } from '@hocso/identity';
import { LearningModule } from '@hocso/learning';
import { LtiModule } from '@hocso/lti';
import { ReportingModule } from '@hocso/reporting';
import { WorkforceModule } from '@hocso/workforce';
import { JobRunner } from '@hocso/queue';
import { InvitationsProcessor } from './identity/invitations.processor';
import { CertificatesProcessor } from './certification/certificates.processor';
import { CohortsProcessor } from './cohorts/cohorts.processor';
import { LtiProcessor } from './lti/lti.processor';
import { XapiForwardProcessor } from './embed/xapi-forward.processor';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { ReportingProcessor } from './reporting/reporting.processor';
import { SchedulesOnStart } from './schedules-on-start';
import { ComplianceProcessor } from './workforce/compliance.processor';
import { NotificationsProcessor } from './workforce/notifications.processor';
import { TrainingReportsProcessor } from './workforce/training-reports.processor';
import { WeeklyCloseProcessor } from './workforce/weekly-close.processor';

/**
 * The consumers: processors, the job runner and the repeating schedules. The worker entry point
 * runs it alone; with RUN_WORKER=true the api imports it so one process does both (embedded mode).
 */
@Module({
  imports: [
    DiscoveryModule,
    IdentityModule,
    LearningModule,
    CohortsModule,
    CertificationModule,
    EmbedModule,
    WorkforceModule,
    LtiModule,
    ReportingModule,
  ],
  providers: [
    JobRunner,
    MaintenanceProcessor,
    SchedulesOnStart,
    TrainingReportsProcessor,
    ComplianceProcessor,
    WeeklyCloseProcessor,
    NotificationsProcessor,
    CohortsProcessor,
    CertificatesProcessor,
    XapiForwardProcessor,
    InvitationsProcessor,
    LtiProcessor,
    ReportingProcessor,
  ],
})
export class WorkerJobsModule {}
