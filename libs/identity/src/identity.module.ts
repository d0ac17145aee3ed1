import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKeyEntity } from '@hocso/database';
import { AccountInvitationEntity } from './entities/account-invitation.entity';
import { ApiKeyEntity } from './entities/api-key.entity';
import { ConsentRecordEntity } from './entities/consent.entity';
import { DataRightsRequestEntity } from './entities/data-rights-request.entity';
import { OrgUnitEntity } from './entities/org-unit.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { UserEntity } from './entities/user.entity';
import { AccountInvitationsService } from './services/account-invitations.service';
import { ApiKeysService } from './services/api-keys.service';
import { AuthService } from './services/auth.service';
import { DataRightsService } from './services/data-rights.service';
import { IdentityBootstrapService } from './services/identity-bootstrap.service';
import { LoginThrottleService } from './services/login-throttle.service';
import { MaintenanceService } from './services/maintenance.service';
import { DevMessageOutbox } from './services/message-outbox';
import { OrgUnitsService } from './services/org-units.service';
import { PasswordService } from './services/password.service';
import { PersonalDataRegistry } from './services/personal-data.registry';
import { UsersService } from './services/users.service';

const services = [
  AccountInvitationsService,
  ApiKeysService,
  AuthService,
  DataRightsService,
  DevMessageOutbox,
  IdentityBootstrapService,
  LoginThrottleService,
  MaintenanceService,
  OrgUnitsService,
  PasswordService,
  PersonalDataRegistry,
  UsersService,
];

@Module({
  imports: [
    TypeOrmModule.forFeature([
      AccountInvitationEntity,
      ApiKeyEntity,
      ConsentRecordEntity,
      DataRightsRequestEntity,
      IdempotencyKeyEntity,
      OrgUnitEntity,
      RefreshTokenEntity,
      UserEntity,
    ]),
    JwtModule.register({}),
  ],
  providers: services,
  exports: services,
})
export class IdentityModule {}
