import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserActor } from '@hocso/common';
import { EnrollmentsService, LearningMinutesService, ProgressService, QuizService } from '@hocso/learning';
import type { FastifyReply } from 'fastify';
import { mapPage, type PageDto } from '../common/pagination.dto';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import {
  AttemptDto,
  AttemptResultDto,
  EnrollDto,
  EnrollmentDto,
  EnrollmentIdParam,
  EnrollmentsQueryDto,
  MinutesDto,
  mapAttempt,
  mapBatch,
  mapEnrollment,
  ProgressBatchDto,
  ProgressBatchResultDto,
  QuizParams,
} from './dto/learning.dto';

@ApiTags('learning')
@Authenticated()
@Controller('v1')
export class LearningController {
  constructor(
    private readonly enrollments: EnrollmentsService,
    private readonly progress: ProgressService,
    private readonly quizzes: QuizService,
    private readonly minutes: LearningMinutesService,
  ) {}

  @Post('enrollments')
  @ApiOperation({ summary: 'Enroll in a course (201); enrolling again returns the same enrollment (200)' })
  enroll(
    @CurrentActor() actor: UserActor,
    @Body() dto: EnrollDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EnrollmentDto> {
    return this.enrollments.enroll(actor, dto.courseSlug).then(({ view, created }) => {
      reply.status(created ? 201 : 200);
      return mapEnrollment(view);
    });
  }

  @Get('me/enrollments')
  @ApiOperation({ summary: 'My enrollments: progress, minutes, where to resume' })
  list(@CurrentActor() actor: UserActor, @Query() query: EnrollmentsQueryDto): Promise<PageDto<EnrollmentDto>> {
    return this.enrollments.listMine(actor, query).then((page) => mapPage(page, mapEnrollment));
  }

  @Get('me/enrollments/:id')
  get(@CurrentActor() actor: UserActor, @Param() params: EnrollmentIdParam): Promise<EnrollmentDto> {
    return this.enrollments.getMine(actor, params.id).then(mapEnrollment);
  }

  @Get('me/learning-minutes')
  @ApiOperation({ summary: 'My credited learning minutes per local day (Asia/Ho_Chi_Minh) and course' })
  myMinutes(@CurrentActor() actor: UserActor): Promise<MinutesDto[]> {
    return this.minutes.byCourse(actor.userId);
  }

  @Post('progress-events')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sync a batch (≤ 500) of progress events recorded offline; each is accepted, duplicate or rejected',
  })
  ingest(@CurrentActor() actor: UserActor, @Body() dto: ProgressBatchDto): Promise<ProgressBatchResultDto> {
    return this.progress.ingest(actor, dto.events).then(mapBatch);
  }

  @Post('courses/:slug/quizzes/:quizId/attempts')
  @ApiOperation({ summary: 'Submit a quiz attempt; graded on the server' })
  attempt(
    @CurrentActor() actor: UserActor,
    @Param() params: QuizParams,
    @Body() dto: AttemptDto,
  ): Promise<AttemptResultDto> {
    return this.quizzes.attempt(actor, params.slug, params.quizId, dto.answers).then(mapAttempt);
  }
}
