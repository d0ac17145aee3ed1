import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type Actor, hasRole, Role } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { OrgUnitEntity, OrgUnitKind } from '@hocso/identity';
import { QueryFailedError, Repository } from 'typeorm';
import { LtiPlatformEntity } from '../entities/lti.entities';
import { isAcceptableUrl } from '../lti-claims';
import { LtiException, LtiExceptionCode } from '../lti.exception';

export interface RegisterPlatformInput {
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  authLoginUrl: string;
  authTokenUrl: string;
  jwksUrl: string;
  integratorId?: string | null;
}

/** Platform registration (province admins): issuer + client_id, deployments, endpoints. */
@Injectable()
export class LtiPlatformsService {
  constructor(
    @InjectRepository(LtiPlatformEntity) private readonly platforms: Repository<LtiPlatformEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(actor: Actor, input: RegisterPlatformInput): Promise<LtiPlatformEntity> {
    this.assertAdmin(actor);
    const production = this.config.env === 'production';
    for (const field of ['issuer', 'authLoginUrl', 'authTokenUrl', 'jwksUrl'] as const) {
      if (!isAcceptableUrl(input[field], production))
        throw new LtiException(LtiExceptionCode.LTI_URL_INVALID, { field });
    }
    if (input.integratorId) {
      const unit = await this.platforms.manager.findOneBy(OrgUnitEntity, { id: input.integratorId });
      if (!unit || unit.kind !== OrgUnitKind.Integrator) {
        throw new LtiException(LtiExceptionCode.LTI_INTEGRATOR_NOT_FOUND, { field: 'integratorId' });
      }
    }
    try {
      return await this.platforms.save(
        this.platforms.create({
          issuer: input.issuer,
          clientId: input.clientId,
          deploymentIds: [...new Set(input.deploymentIds)],
          authLoginUrl: input.authLoginUrl,
          authTokenUrl: input.authTokenUrl,
          jwksUrl: input.jwksUrl,
          integratorId: input.integratorId ?? null,
          createdBy: actor.kind === 'user' ? actor.userId : null,
        }),
      );
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505') {
        throw new LtiException(LtiExceptionCode.LTI_PLATFORM_EXISTS, { field: 'clientId' });
      }
      throw err;
    }
  }

  async list(actor: Actor): Promise<LtiPlatformEntity[]> {
    this.assertAdmin(actor);
    return this.platforms.find({ order: { createdAt: 'ASC' } });
  }

  private assertAdmin(actor: Actor) {
    if (!hasRole(actor, Role.ProvinceAdmin)) throw new LtiException(LtiExceptionCode.LTI_FORBIDDEN);
  }
}
