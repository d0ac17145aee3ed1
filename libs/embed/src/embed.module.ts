import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@hocso/identity';
import { IntegratorEntity } from './entities/integrator.entity';
import { ContentRateLimit } from './services/content-rate-limit';
import { EmbedContentService } from './services/embed-content.service';
import { IntegratorsService } from './services/integrators.service';
import { XapiExportService } from './services/xapi-export.service';

const services = [ContentRateLimit, EmbedContentService, IntegratorsService, XapiExportService];

/** Integrators, their origins and usage, content-API limits and the xAPI export. */
@Module({
  imports: [IdentityModule, TypeOrmModule.forFeature([IntegratorEntity])],
  providers: services,
  exports: services,
})
export class EmbedModule {}
