import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmbedModule } from '@hocso/embed';
import { IdentityModule } from '@hocso/identity';
import { LearningModule } from '@hocso/learning';
import { LTI_ENTITIES } from './entities/lti.entities';
import { LtiCatalogue } from './services/lti-catalogue';
import { LtiDeepLinkingService } from './services/lti-deep-linking.service';
import { LtiKeys } from './services/lti-keys.service';
import { LtiLaunchService } from './services/lti-launch.service';
import { LtiPersonalData } from './services/lti-personal-data';
import { LtiPlatformsService } from './services/lti-platforms.service';
import { LtiScoresService } from './services/lti-scores.service';

const services = [
  LtiCatalogue,
  LtiDeepLinkingService,
  LtiKeys,
  LtiLaunchService,
  LtiPlatformsService,
  LtiScoresService,
];

/** The LTI 1.3 tool: platforms, OIDC login and launch, Deep Linking 2.0, AGS 2.0 score passback. */
@Module({
  imports: [IdentityModule, LearningModule, EmbedModule, TypeOrmModule.forFeature(LTI_ENTITIES)],
  providers: [...services, LtiPersonalData],
  exports: services,
})
export class LtiModule {}
