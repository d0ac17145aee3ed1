import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { CourseImportService } from '@hocso/courses';
import { IdentityBootstrapService } from '@hocso/identity';

/**
 * After migrations: load reference data, the first admin and — on a fresh database — the starter
 * course library (idempotent; DB_SEED=false skips all of it).
 */
@Injectable()
export class SeedOnStart implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly identity: IdentityBootstrapService,
    private readonly courses: CourseImportService,
  ) {}

  /**
   * At module init of the root module (after migrations, before the in-process worker starts at
   * application bootstrap), so seeding never races the consumers on the embedded database.
   */
  async onModuleInit() {
    if (!this.config.db.seed) {
      new Logger('Bootstrap').log('DB_SEED=false: not seeding');
      return;
    }
    await this.identity.seed();
    if (this.config.content.importOnStart) {
      const report = await this.courses.importIfEmpty(this.config.content.dir);
      if (report) {
        new Logger('Bootstrap').log(
          `content library imported from ${this.config.content.dir}: ${report.counts.created} courses, ${report.counts.rejected} rejected`,
        );
      }
    }
  }
}
