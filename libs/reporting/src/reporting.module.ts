import { Module } from '@nestjs/common';
import { IdentityModule } from '@hocso/identity';
import { DenominatorsService } from './denominators/denominators.service';
import { KpiComputer } from './services/kpi-computer';
import { KpiDefinitionsService } from './services/kpi-definitions.service';
import { KpiQueryService } from './services/kpi-query.service';
import { KpiSnapshotsService } from './services/kpi-snapshots.service';
import { ReportScope } from './services/report-scope';
import { ReportingPersonalData } from './services/reporting-personal-data';

const services = [
  DenominatorsService,
  KpiComputer,
  KpiDefinitionsService,
  KpiQueryService,
  KpiSnapshotsService,
  ReportScope,
];

/** Province KPIs: definitions and targets, denominators, snapshots (read models), breakdowns, exports. */
@Module({
  imports: [IdentityModule],
  providers: [...services, ReportingPersonalData],
  exports: services,
})
export class ReportingModule {}
