import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { IdentityBootstrapService } from '@hocso/identity';

/** After migrations: load reference data and the first admin (idempotent; DB_SEED=false skips). */
@Injectable()
export class SeedOnStart implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly identity: IdentityBootstrapService,
  ) {}

  async onApplicationBootstrap() {
    if (!this.config.db.seed) {
      new Logger('Bootstrap').log('DB_SEED=false: not seeding');
      return;
    }
    await this.identity.seed();
  }
}
