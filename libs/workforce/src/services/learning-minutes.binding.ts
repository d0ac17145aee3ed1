import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AttendanceMinutesService } from '@hocso/cohorts';
import { LearningMinutesService } from '@hocso/learning';
import { WorkerExtraMinutesRegistry } from './extra-minutes';

/**
 * Counts what a linked worker learned through Hocso toward their weekly hour, alongside the
 * enterprise's own reports: self-paced learning (the learning read model: credited minutes per
 * local day) and attendance in trainer-led cohorts (minutes recorded per session).
 */
@Injectable()
export class LearningMinutesBinding implements OnModuleInit {
  constructor(
    private readonly registry: WorkerExtraMinutesRegistry,
    private readonly learning: LearningMinutesService,
    private readonly attendance: AttendanceMinutesService,
  ) {}

  onModuleInit() {
    this.registry.register('learning', this.learning);
    this.registry.register('cohort-attendance', this.attendance);
  }
}
