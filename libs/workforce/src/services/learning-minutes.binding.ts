import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LearningMinutesService } from '@hocso/learning';
import { WorkerExtraMinutesRegistry } from './extra-minutes';

/**
 * Counts what a linked worker learned on Hocso itself (the learning read model: credited minutes
 * per local day) toward their weekly hour, alongside the enterprise's own reports.
 */
@Injectable()
export class LearningMinutesBinding implements OnModuleInit {
  constructor(
    private readonly registry: WorkerExtraMinutesRegistry,
    private readonly learning: LearningMinutesService,
  ) {}

  onModuleInit() {
    this.registry.register('learning', this.learning);
  }
}
