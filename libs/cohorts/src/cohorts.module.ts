import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@hocso/identity';
import { LearningModule } from '@hocso/learning';
import { CohortEntity } from './entities/cohort.entity';
import { CohortMemberEntity } from './entities/cohort-member.entity';
import { CohortSessionEntity } from './entities/cohort-session.entity';
import { TrainerProfileEntity, TrainerQualificationEntity } from './entities/trainer.entity';
import { CascadeService } from './services/cascade.service';
import { CohortAccess } from './services/cohort-access.service';
import { CohortFinishService } from './services/cohort-finish.service';
import { CohortReportsService } from './services/cohort-reports.service';
import { CohortsService } from './services/cohorts.service';
import { CohortsPersonalData } from './services/cohorts-personal-data';
import { MemberProgressReader } from './services/member-progress';
import { MembersService } from './services/members.service';
import { AttendanceMinutesService, SessionsService } from './services/sessions.service';
import { TrainersService } from './services/trainers.service';

const services = [
  AttendanceMinutesService,
  CascadeService,
  CohortAccess,
  CohortFinishService,
  CohortReportsService,
  CohortsService,
  MemberProgressReader,
  MembersService,
  SessionsService,
  TrainersService,
];

/** Trainer profiles and qualifications, cohorts, members, sessions, attendance, the ToT cascade. */
@Module({
  imports: [
    IdentityModule,
    LearningModule,
    TypeOrmModule.forFeature([
      CohortEntity,
      CohortMemberEntity,
      CohortSessionEntity,
      TrainerProfileEntity,
      TrainerQualificationEntity,
    ]),
  ],
  providers: [...services, CohortsPersonalData],
  exports: services,
})
export class CohortsModule {}
