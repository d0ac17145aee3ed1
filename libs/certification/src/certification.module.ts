import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@hocso/identity';
import { LearningModule } from '@hocso/learning';
import {
  CertificateEntity,
  CertificateRuleEntity,
  PublicProfileEntity,
  StatusListEntity,
} from './entities/certificate.entity';
import { CertificateRulesService } from './services/certificate-rules.service';
import { CertificatesService } from './services/certificates.service';
import { CertificationEvents, CertificationPersonalData } from './services/certification-events';
import { CredentialKeys } from './services/credential-keys.service';
import { StatusListsService } from './services/status-lists.service';

const services = [CertificateRulesService, CertificatesService, CredentialKeys, StatusListsService];

/** Open Badges 3.0 credentials, verification, Bitstring Status Lists, printable PDFs, public profiles. */
@Module({
  imports: [
    IdentityModule,
    LearningModule,
    TypeOrmModule.forFeature([CertificateEntity, CertificateRuleEntity, PublicProfileEntity, StatusListEntity]),
  ],
  providers: [...services, CertificationEvents, CertificationPersonalData],
  exports: services,
})
export class CertificationModule {}
