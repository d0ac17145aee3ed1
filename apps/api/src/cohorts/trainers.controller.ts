import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role, type UserActor } from '@hocso/common';
import { CascadeService, CohortReportsService, TrainersService, todayLocal } from '@hocso/cohorts';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import { mapCohortSummary } from './dto/cohorts.dto';
import {
  AppointTrainerDto,
  mapQualification,
  mapTrainer,
  QualificationParams,
  RevokeQualificationDto,
  TrainerParam,
} from './dto/trainers.dto';
import { isoOrNull } from '../common/dates';

/** Trainer profiles, qualifications, the ToT cascade and the 3,000-trainer KPI. */
@ApiTags('trainers')
@Authenticated()
@Controller('v1/trainers')
export class TrainersController {
  constructor(
    private readonly trainers: TrainersService,
    private readonly cascade: CascadeService,
    private readonly reports: CohortReportsService,
  ) {}

  @Get('totals')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  @ApiOperation({ summary: 'Valid trainers today vs the 3,000 target, by level, source and commune (admins)' })
  totals(@CurrentActor() actor: Actor) {
    return this.cascade.totals(actor);
  }

  @Get('me/dashboard')
  @ApiOperation({ summary: 'My cohorts, upcoming sessions (14 days) and members at risk of not completing' })
  async dashboard(@CurrentActor() actor: UserActor) {
    const d = await this.reports.dashboard(actor, todayLocal());
    return {
      cohorts: d.cohorts.map((c) => ({
        ...mapCohortSummary(c.cohort),
        myRole: c.role,
        members: { active: c.active, waitlisted: c.waitlisted },
        nextSessionAt: isoOrNull(c.nextSessionAt),
      })),
      upcomingSessions: d.upcomingSessions.map((s) => ({ ...s, startsAt: isoOrNull(s.startsAt) })),
      atRisk: d.atRisk,
    };
  }

  @Post(':userId/qualifications')
  @Authenticated(Role.ProvinceAdmin)
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'A province admin appoints a trainer of a level (the first master trainers)' })
  async appoint(@CurrentActor() actor: Actor, @Param() p: TrainerParam, @Body() dto: AppointTrainerDto) {
    return mapQualification(await this.trainers.appoint(actor, p.userId, dto));
  }

  @Post(':userId/qualifications/:qualificationId/revoke')
  @HttpCode(200)
  @Authenticated(Role.ProvinceAdmin)
  @ApiOperation({ summary: 'Revoke: no new cohorts; running ones continue, flagged' })
  async revoke(@CurrentActor() actor: Actor, @Param() p: QualificationParams, @Body() dto: RevokeQualificationDto) {
    return mapQualification(await this.trainers.revoke(actor, p.userId, p.qualificationId, dto.reason));
  }

  @Get(':userId')
  @ApiOperation({ summary: 'Trainer profile: level, qualifications (valid, expired, revoked), cohorts' })
  async get(@CurrentActor() actor: Actor, @Param() p: TrainerParam) {
    return mapTrainer(await this.trainers.get(actor, p.userId));
  }

  @Get(':userId/cascade')
  @ApiOperation({ summary: 'Trainers qualified downstream (recursively), with the people each one reached' })
  getCascade(@CurrentActor() actor: Actor, @Param() p: TrainerParam) {
    return this.cascade.cascade(actor, p.userId);
  }
}
