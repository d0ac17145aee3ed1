import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Actor, UserActor } from '@hocso/common';
import {
  CohortFinishService,
  CohortReportsService,
  CohortsService,
  MembersService,
  type ParsedRoster,
  ROSTER_ROW_MESSAGES,
  reportToCsv,
  SessionsService,
} from '@hocso/cohorts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mapPage } from '../common/pagination.dto';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import { localeFrom } from '../http/locale';
import {
  AttendanceBatchDto,
  CohortIdParam,
  CohortMemberParams,
  CohortSessionParams,
  CohortsQueryDto,
  CreateCohortDto,
  CreateSessionDto,
  JoinCohortDto,
  MembersQueryDto,
  mapCohort,
  mapCohortSummary,
  mapFinish,
  mapMember,
  mapProgress,
  PracticumDecisionDto,
  ReportQueryDto,
  RosterDto,
  StaffDto,
  TransferDto,
  UpdateCohortDto,
} from './dto/cohorts.dto';
import { ROSTER_UPLOAD_ROUTE, RosterBody } from './roster-body.decorator';
import { isoOrNull } from '../common/dates';

/**
 * Trainer-led cohorts (issue 6). Every route checks the caller against the cohort: its trainers
 * (lead, co-trainers, assistants) and admins over its unit; members see only their own record.
 */
@ApiTags('cohorts')
@Authenticated()
@Controller('v1/cohorts')
export class CohortsController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly members: MembersService,
    private readonly sessions: SessionsService,
    private readonly reports: CohortReportsService,
    private readonly finishing: CohortFinishService,
  ) {}

  @Post()
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Open a cohort (a qualified trainer, or an admin naming its trainer)' })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateCohortDto) {
    return mapCohort(await this.cohorts.create(actor, dto));
  }

  @Get()
  @ApiOperation({ summary: 'Cohorts I run (lead, co-trainer, assistant) and, for admins, those in my units' })
  async list(@CurrentActor() actor: UserActor, @Query() q: CohortsQueryDto) {
    return mapPage(await this.cohorts.list(actor, q), mapCohortSummary);
  }

  @Post('join')
  @HttpCode(200)
  @ApiOperation({ summary: 'Join an open cohort with its code (again: the same place)' })
  join(@CurrentActor() actor: UserActor, @Body() dto: JoinCohortDto) {
    return this.members.join(actor, dto.code);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Cohort details (members see the cohort and their own record only)' })
  async get(@CurrentActor() actor: Actor, @Param() p: CohortIdParam) {
    return mapCohort(await this.cohorts.get(actor, p.id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit title, dates, capacity (more room moves the waitlist up), location, self-join' })
  async update(@CurrentActor() actor: Actor, @Param() p: CohortIdParam, @Body() dto: UpdateCohortDto) {
    return mapCohort(await this.cohorts.update(actor, p.id, dto));
  }

  @Put(':id/staff')
  @ApiOperation({ summary: 'Replace co-trainers (qualified trainers) and assistants' })
  async staff(@CurrentActor() actor: Actor, @Param() p: CohortIdParam, @Body() dto: StaffDto) {
    return mapCohort(await this.cohorts.setStaff(actor, p.id, dto.coTrainerIds, dto.assistantIds));
  }

  @Post(':id/start')
  @HttpCode(200)
  async start(@CurrentActor() actor: Actor, @Param() p: CohortIdParam) {
    return mapCohort(await this.cohorts.start(actor, p.id));
  }

  @Post(':id/finish')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Finish: each member passes or not (attendance, courses, practicum); ToT graduates become trainers',
  })
  async finish(@CurrentActor() actor: Actor, @Param() p: CohortIdParam) {
    return mapFinish(await this.finishing.finish(actor, p.id));
  }

  @Post(':id/archive')
  @HttpCode(200)
  async archive(@CurrentActor() actor: Actor, @Param() p: CohortIdParam) {
    return mapCohort(await this.cohorts.archive(actor, p.id));
  }

  @Post(':id/members')
  @HttpCode(200)
  @RouteConfig(ROSTER_UPLOAD_ROUTE)
  @Idempotent({ required: false })
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiBody({
    type: RosterDto,
    description: 'JSON, or a CSV body / upload (field "file"): name; e-mail or phone; unit code',
  })
  @ApiOperation({ summary: 'Add people: matched by e-mail or phone, else invited; per-row results; waitlist' })
  async addMembers(
    @CurrentActor() actor: Actor,
    @Param() p: CohortIdParam,
    @RosterBody() roster: ParsedRoster,
    @Headers('accept-language') acceptLanguage: string | undefined,
  ) {
    const result = await this.members.addRoster(actor, p.id, roster);
    const locale = localeFrom(acceptLanguage);
    // Each refused row says why, in the caller's language.
    return {
      ...result,
      rows: result.rows.map((r) =>
        r.error ? { ...r, error: { ...r.error, message: ROSTER_ROW_MESSAGES[r.error.code][locale] } } : r,
      ),
    };
  }

  @Get(':id/members')
  async listMembers(@CurrentActor() actor: Actor, @Param() p: CohortIdParam, @Query() q: MembersQueryDto) {
    return (await this.members.list(actor, p.id, q.status)).map(mapMember);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  async removeMember(@CurrentActor() actor: Actor, @Param() p: CohortMemberParams): Promise<void> {
    await this.members.remove(actor, p.id, p.userId);
  }

  @Post(':id/members/:userId/transfer')
  @HttpCode(200)
  transfer(@CurrentActor() actor: Actor, @Param() p: CohortMemberParams, @Body() dto: TransferDto) {
    return this.members.transfer(actor, p.id, p.userId, dto.toCohortId);
  }

  @Post(':id/members/:userId/practicum')
  @HttpCode(200)
  @ApiOperation({ summary: 'ToT: the lead approves or rejects a trainee’s practicum (teaching a cohort of their own)' })
  practicum(@CurrentActor() actor: Actor, @Param() p: CohortMemberParams, @Body() dto: PracticumDecisionDto) {
    return this.finishing.decidePracticum(actor, p.id, p.userId, dto);
  }

  @Post(':id/sessions')
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Add a session — ahead of time, or after the fact for classes without connectivity' })
  async createSession(@CurrentActor() actor: Actor, @Param() p: CohortIdParam, @Body() dto: CreateSessionDto) {
    const s = await this.sessions.create(actor, p.id, dto);
    return { ...s, startsAt: isoOrNull(s.startsAt), createdAt: isoOrNull(s.createdAt) };
  }

  @Get(':id/sessions')
  async listSessions(@CurrentActor() actor: Actor, @Param() p: CohortIdParam) {
    return (await this.sessions.list(actor, p.id)).map((s) => ({
      id: s.session.id,
      startsAt: isoOrNull(s.session.startsAt),
      durationMinutes: s.session.durationMinutes,
      location: s.session.location,
      title: s.session.title,
      attendance: { present: s.present, late: s.late, absent: s.absent },
    }));
  }

  @Put(':id/sessions/:sessionId/attendance')
  @ApiOperation({ summary: 'Record attendance in one batch; replaying the batch changes nothing' })
  recordAttendance(@CurrentActor() actor: Actor, @Param() p: CohortSessionParams, @Body() dto: AttendanceBatchDto) {
    return this.sessions.recordAttendance(actor, p.id, p.sessionId, dto.records);
  }

  @Get(':id/sessions/:sessionId/attendance')
  async attendance(@CurrentActor() actor: Actor, @Param() p: CohortSessionParams) {
    return (await this.sessions.attendance(actor, p.id, p.sessionId)).map((a) => ({
      ...a,
      recordedAt: a.recordedAt ? isoOrNull(a.recordedAt) : null,
    }));
  }

  @Get(':id/report')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Per member: attendance %, lessons, quiz scores, completion — JSON, or CSV (Accept: text/csv)',
  })
  async report(
    @CurrentActor() actor: Actor,
    @Param() p: CohortIdParam,
    @Query() q: ReportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.reports.report(actor, p.id);
    const request = reply.request as FastifyRequest;
    reply.header('Vary', 'Accept, Accept-Language');
    if (wantsCsv(request.headers.accept)) {
      const locale = localeFrom(request.headers['accept-language']);
      reply.header('Content-Type', 'text/csv; charset=utf-8');
      reply.header('Content-Disposition', `attachment; filename="cohort-${report.cohort.id}.csv"`);
      return reportToCsv(report, locale, q.delimiter === 'semicolon' ? ';' : ',');
    }
    return {
      cohort: mapCohortSummary(report.cohort),
      generatedAt: isoOrNull(report.generatedAt),
      sessionsHeld: report.sessionsHeld,
      minAttendancePercent: report.cohort.minAttendancePercent,
      members: report.members.map(mapProgress),
    };
  }
}

/** text/csv preferred over JSON by the Accept header (q-values honoured). */
export function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  let csv = -1;
  let json = -1;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
    const weight = qParam ? Number(qParam.slice(2)) : 1;
    if (type === 'text/csv') csv = Math.max(csv, weight);
    if (type === 'application/json' || type === '*/*' || type === 'application/*') json = Math.max(json, weight);
  }
  return csv > 0 && csv >= json;
}

@ApiTags('cohorts')
@Authenticated()
@Controller('v1/me/cohorts')
export class MyCohortsController {
  constructor(private readonly reports: CohortReportsService) {}

  @Get()
  @ApiOperation({ summary: 'My cohorts as a member, with my own attendance, progress and outcome' })
  async mine(@CurrentActor() actor: UserActor) {
    return (await this.reports.mine(actor)).map((m) => ({ cohort: mapCohortSummary(m.cohort), me: mapProgress(m.me) }));
  }
}
