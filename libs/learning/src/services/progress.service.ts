import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { splitByLocalDay, type UserActor } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { JobName, QueueService } from '@hocso/queue';
import { DataSource, type EntityManager } from 'typeorm';
import type { EnrollmentEntity } from '../entities/enrollment.entity';
import { ProgressEventEntity, ProgressEventType } from '../entities/progress-event.entity';
import type { XapiStatementEntity } from '../entities/xapi-statement.entity';
import { addRange, formatMultirange, parseMultirange, type Range, total } from '../intervals';
import { LearningException, LearningExceptionCode } from '../learning.exception';
import { CompletionService } from './completion.service';
import { CourseContentReader, type VersionStructure } from './course-content.reader';
import { EnrollmentsService } from './enrollments.service';
import { LearningEventBus } from './learning-events';
import { lockUser } from './user-lock';
import { XapiBuilder, type XapiVerb } from './xapi.builder';

export const MAX_BATCH = 500;

export interface ProgressEventInput {
  eventId: string;
  type: ProgressEventType;
  courseSlug: string;
  lessonId: string;
  blockId?: string;
  occurredAt: Date;
  seconds?: number;
}

export type RejectReason =
  | 'not_enrolled'
  | 'lesson_not_in_course'
  | 'block_not_in_lesson'
  | 'before_enrollment'
  | 'in_future';

export interface EventOutcome {
  eventId: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  reason?: RejectReason;
  creditedSeconds?: number;
}

interface Candidate {
  index: number;
  input: ProgressEventInput;
  enrollment: EnrollmentEntity;
  structure: VersionStructure;
  credited: number;
}

/** Events that carry learning time. */
const TIMED = new Set([ProgressEventType.Heartbeat, ProgressEventType.VideoProgress]);
const XAPI_VERB: Partial<Record<ProgressEventType, XapiVerb>> = {
  [ProgressEventType.LessonStarted]: 'attempted',
  [ProgressEventType.BlockCompleted]: 'experienced',
  [ProgressEventType.LessonCompleted]: 'completed',
  [ProgressEventType.VideoProgress]: 'progressed',
};
/** An event may predate the enrollment by this much (clock differences between devices). */
const ENROLLMENT_SKEW_MS = 60_000;

/**
 * Offline-tolerant progress: a batch the client recorded (up to 500 events) is checked event by
 * event; valid events are stored exactly once (the client's eventId is unique per user), the rest
 * are reported, and the batch's effects — lessons, learning time, resume position, completion,
 * xAPI — are applied in one transaction, one batch per learner at a time.
 *
 * Learning time is credited as wall-clock coverage: each heartbeat or video-progress event claims
 * [occurredAt − seconds, occurredAt), never more than LEARNING_MAX_EVENT_SECONDS and never before the
 * learner's previous event; what is already covered that local day is not credited again; and a
 * local day never exceeds LEARNING_DAILY_CAP_MINUTES.
 */
@Injectable()
export class ProgressService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly content: CourseContentReader,
    private readonly enrollments: EnrollmentsService,
    private readonly completion: CompletionService,
    private readonly xapi: XapiBuilder,
    private readonly bus: LearningEventBus,
    private readonly queues: QueueService,
  ) {}

  async ingest(actor: UserActor, events: ProgressEventInput[]): Promise<EventOutcome[]> {
    if (events.length > MAX_BATCH)
      throw new LearningException(LearningExceptionCode.BATCH_TOO_LARGE, { field: 'events' });
    const now = Date.now();
    const courses = await this.content.coursesBySlugs([...new Set(events.map((e) => e.courseSlug))]);
    const courseBySlug = new Map(courses.map((c) => [c.slug, c]));
    let completed = false;
    const creditedDates = new Set<string>();
    const outcomes = await this.dataSource.transaction(async (em) => {
      await lockUser(em, actor.userId);
      const live = await this.enrollments.liveFor(
        em,
        actor.userId,
        courses.map((c) => c.id),
      );
      const enrollmentByCourse = new Map(live.map((e) => [e.courseId, e]));
      const result: EventOutcome[] = events.map((e) => ({ eventId: e.eventId, status: 'rejected' }));
      const candidates: Candidate[] = [];
      const seen = new Set<string>();
      for (const [index, input] of events.entries()) {
        const reason = await this.check(em, input, courseBySlug, enrollmentByCourse, now);
        if (typeof reason === 'string') {
          result[index].reason = reason;
          continue;
        }
        if (seen.has(input.eventId)) {
          result[index] = { eventId: input.eventId, status: 'duplicate' };
          continue;
        }
        seen.add(input.eventId);
        candidates.push({ index, input, ...reason, credited: 0 });
      }
      const accepted = await this.insertNew(em, actor.userId, candidates);
      for (const c of candidates) {
        result[c.index] = accepted.has(c.input.eventId)
          ? { eventId: c.input.eventId, status: 'accepted', creditedSeconds: 0 }
          : { eventId: c.input.eventId, status: 'duplicate' };
      }
      const fresh = candidates.filter((c) => accepted.has(c.input.eventId));
      if (fresh.length === 0) return result;

      for (const date of await this.creditTime(em, actor.userId, fresh)) creditedDates.add(date);
      for (const c of fresh) result[c.index].creditedSeconds = c.credited;
      await this.applyLessons(em, fresh);
      await this.xapi.store(em, this.statements(actor.userId, fresh));
      // Only a newly completed lesson can complete a course here (quiz passes are checked on attempt).
      const completing = fresh.filter((c) => c.input.type === ProgressEventType.LessonCompleted);
      for (const enrollment of new Set(completing.map((c) => c.enrollment))) {
        const structure = completing.find((c) => c.enrollment === enrollment)?.structure as VersionStructure;
        if (await this.completion.evaluate(em, enrollment, structure)) completed = true;
      }
      return result;
    });
    if (completed) this.bus.deliverSoon();
    if (creditedDates.size) {
      // After the commit: a linked worker's weekly hour may have changed (workforce decides; the
      // job is cheap when the learner is not a worker). Not enqueued is not lost: the weekly
      // close recomputes every enterprise-week anyway.
      await this.queues
        .add(JobName.WorkerMinutesChanged, { userId: actor.userId, localDates: [...creditedDates].sort() })
        .catch(() => undefined);
    }
    return outcomes;
  }

  private async check(
    em: EntityManager,
    input: ProgressEventInput,
    courseBySlug: Map<string, { id: string }>,
    enrollmentByCourse: Map<string, EnrollmentEntity>,
    now: number,
  ): Promise<RejectReason | { enrollment: EnrollmentEntity; structure: VersionStructure }> {
    const course = courseBySlug.get(input.courseSlug);
    const enrollment = course && enrollmentByCourse.get(course.id);
    if (!enrollment) return 'not_enrolled';
    const structure = await this.content.structure(enrollment.versionId, em);
    const lesson = structure.lessons.get(input.lessonId);
    if (!lesson) return 'lesson_not_in_course';
    if (input.blockId && !lesson.blockRefs.has(input.blockId)) return 'block_not_in_lesson';
    const t = input.occurredAt.getTime();
    if (t > now + this.config.learning.futureSkewSeconds * 1000) return 'in_future';
    if (t < enrollment.enrolledAt.getTime() - ENROLLMENT_SKEW_MS) return 'before_enrollment';
    return { enrollment, structure };
  }

  /** INSERT … ON CONFLICT DO NOTHING: the ids returned are new; the others were stored before. */
  private async insertNew(em: EntityManager, userId: string, candidates: Candidate[]): Promise<Set<string>> {
    const accepted = new Set<string>();
    for (let i = 0; i < candidates.length; i += 250) {
      const chunk = candidates.slice(i, i + 250);
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(ProgressEventEntity)
        .values(
          chunk.map((c) => ({
            userId,
            eventId: c.input.eventId,
            enrollmentId: c.enrollment.id,
            type: c.input.type,
            lessonId: c.input.lessonId,
            blockId: c.input.blockId ?? null,
            occurredAt: c.input.occurredAt,
            seconds: c.input.seconds ?? null,
          })),
        )
        .orIgnore()
        .returning(['eventId'])
        .execute();
      for (const row of inserted.raw as Array<{ event_id: string }>) accepted.add(row.event_id);
    }
    return accepted;
  }

  /** Credits learning time; returns the local dates that gained minutes. */
  private async creditTime(em: EntityManager, userId: string, fresh: Candidate[]): Promise<string[]> {
    const timed = fresh
      .filter((c) => TIMED.has(c.input.type) && (c.input.seconds ?? 0) > 0)
      .sort((a, b) => a.input.occurredAt.getTime() - b.input.occurredAt.getTime());
    if (!timed.length) return [];
    const { maxEventSeconds, dailyCapSeconds } = this.config.learning;
    const first = timed[0].input.occurredAt.getTime() - maxEventSeconds * 1000;
    const last = timed[timed.length - 1].input.occurredAt.getTime();
    // Every event of this learner in the window (stored earlier or in this batch): a claim never
    // reaches back past the learner's previous event.
    const times: number[] = (
      await em.query(
        `SELECT occurred_at FROM progress_event WHERE user_id = $1 AND occurred_at >= $2 AND occurred_at <= $3`,
        [userId, new Date(first), new Date(last)],
      )
    )
      .map((r: { occurred_at: Date }) => new Date(r.occurred_at).getTime())
      .sort((a: number, b: number) => a - b);

    const claims = timed.map((c) => {
      const end = c.input.occurredAt.getTime();
      const previous = times.filter((t) => t < end).pop() ?? Number.NEGATIVE_INFINITY;
      const start = Math.max(end - Math.min(c.input.seconds ?? 0, maxEventSeconds) * 1000, previous);
      return { c, parts: splitByLocalDay(new Date(start), new Date(end)) };
    });
    const days = [...new Set(claims.flatMap((x) => x.parts.map((p) => p.date)))].sort();
    await em.query(
      `INSERT INTO learning_coverage (user_id, local_date) SELECT $1, d::date FROM unnest($2::text[]) d
       ON CONFLICT DO NOTHING`,
      [userId, days],
    );
    const rows: Array<{ local_date: string; covered: string }> = await em.query(
      `SELECT to_char(local_date, 'YYYY-MM-DD') AS local_date, covered::text AS covered
         FROM learning_coverage WHERE user_id = $1 AND local_date = ANY($2::date[]) ORDER BY local_date FOR UPDATE`,
      [userId, days],
    );
    const coverage = new Map<string, Range[]>(rows.map((r) => [r.local_date, parseMultirange(r.covered)]));

    const minutes = new Map<string, number>(); // "date|courseId" → seconds
    const lessonSeconds = new Map<string, number>(); // "enrollmentId|lessonId" → seconds
    for (const { c, parts } of claims) {
      for (const part of parts) {
        const before = coverage.get(part.date) ?? [];
        const { ranges } = addRange(before, part.start, part.end);
        const credited = Math.min(total(ranges), dailyCapSeconds) - Math.min(total(before), dailyCapSeconds);
        coverage.set(part.date, ranges);
        if (credited <= 0) continue;
        c.credited += credited;
        const key = `${part.date}|${c.enrollment.courseId}`;
        minutes.set(key, (minutes.get(key) ?? 0) + credited);
      }
      if (c.credited > 0) {
        const key = `${c.enrollment.id}|${c.input.lessonId}`;
        lessonSeconds.set(key, (lessonSeconds.get(key) ?? 0) + c.credited);
      }
    }

    for (const [date, ranges] of coverage) {
      await em.query(
        `UPDATE learning_coverage SET covered = $3::int4multirange, seconds = $4 WHERE user_id = $1 AND local_date = $2`,
        [userId, date, formatMultirange(ranges), total(ranges)],
      );
    }
    const credited = timed.filter((c) => c.credited > 0);
    if (credited.length) {
      await em.query(
        `UPDATE progress_event p SET credited_seconds = v.credited
           FROM unnest($2::uuid[], $3::int[]) AS v(event_id, credited)
          WHERE p.user_id = $1 AND p.event_id = v.event_id`,
        [userId, credited.map((c) => c.input.eventId), credited.map((c) => c.credited)],
      );
    }
    for (const [key, seconds] of minutes) {
      const [date, courseId] = key.split('|');
      await em.query(
        `INSERT INTO learning_minutes_daily (user_id, local_date, course_id, seconds) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, local_date, course_id) DO UPDATE SET seconds = learning_minutes_daily.seconds + EXCLUDED.seconds`,
        [userId, date, courseId, seconds],
      );
    }
    for (const [key, seconds] of lessonSeconds) {
      const [enrollmentId, lessonId] = key.split('|');
      await em.query(
        `INSERT INTO lesson_progress (enrollment_id, lesson_id, seconds) VALUES ($1, $2, $3)
         ON CONFLICT (enrollment_id, lesson_id) DO UPDATE SET seconds = lesson_progress.seconds + EXCLUDED.seconds`,
        [enrollmentId, lessonId, seconds],
      );
    }
    const byEnrollment = new Map<string, number>();
    for (const c of credited) byEnrollment.set(c.enrollment.id, (byEnrollment.get(c.enrollment.id) ?? 0) + c.credited);
    for (const [enrollmentId, seconds] of byEnrollment) {
      await em.query(`UPDATE enrollment SET learning_seconds = learning_seconds + $2 WHERE id = $1`, [
        enrollmentId,
        seconds,
      ]);
    }
    return [...new Set([...minutes.keys()].map((key) => key.split('|')[0]))];
  }

  /** Lesson started/completed marks (earliest wins), the completed count and the resume position. */
  private async applyLessons(em: EntityManager, fresh: Candidate[]): Promise<void> {
    const marks = fresh.filter((c) =>
      [ProgressEventType.LessonStarted, ProgressEventType.LessonCompleted].includes(c.input.type),
    );
    for (const c of marks) {
      const column = c.input.type === ProgressEventType.LessonCompleted ? 'completed_at' : 'started_at';
      await em.query(
        `INSERT INTO lesson_progress (enrollment_id, lesson_id, ${column}) VALUES ($1, $2, $3)
         ON CONFLICT (enrollment_id, lesson_id)
         DO UPDATE SET ${column} = LEAST(COALESCE(lesson_progress.${column}, EXCLUDED.${column}), EXCLUDED.${column})`,
        [c.enrollment.id, c.input.lessonId, c.input.occurredAt],
      );
    }
    for (const enrollment of new Set(fresh.map((c) => c.enrollment))) {
      const latest = fresh
        .filter((c) => c.enrollment === enrollment)
        .reduce((a, b) => (b.input.occurredAt > a.input.occurredAt ? b : a));
      const rows: Array<Record<string, unknown>> = await em.query(
        `UPDATE enrollment e SET
            lessons_completed = (SELECT count(*) FROM lesson_progress lp WHERE lp.enrollment_id = e.id AND lp.completed_at IS NOT NULL),
            last_lesson_id = CASE WHEN e.last_activity_at IS NULL OR e.last_activity_at <= $2 THEN $3::uuid ELSE e.last_lesson_id END,
            last_activity_at = GREATEST(COALESCE(e.last_activity_at, $2), $2),
            updated_at = now()
          WHERE e.id = $1
          RETURNING e.lessons_completed, e.learning_seconds, e.last_lesson_id, e.last_activity_at`,
        [enrollment.id, latest.input.occurredAt, latest.input.lessonId],
      );
      const row = (Array.isArray(rows[0]) ? rows[0][0] : rows[0]) as Record<string, unknown> | undefined;
      if (row) {
        enrollment.lessonsCompleted = Number(row.lessons_completed);
        enrollment.learningSeconds = Number(row.learning_seconds);
      }
    }
  }

  private statements(userId: string, fresh: Candidate[]): XapiStatementEntity[] {
    const out: XapiStatementEntity[] = [];
    for (const c of fresh) {
      const verb = XAPI_VERB[c.input.type];
      if (!verb) continue; // heartbeats are time, not statements
      const lesson = c.structure.lessons.get(c.input.lessonId);
      const media = c.input.type === ProgressEventType.VideoProgress && c.input.blockId;
      out.push(
        this.xapi.build({
          userId,
          verb,
          object: media
            ? { kind: 'media', courseSlug: c.structure.courseSlug, lessonSlug: lesson?.slug, blockId: c.input.blockId }
            : { kind: 'lesson', courseSlug: c.structure.courseSlug, lessonSlug: lesson?.slug },
          timestamp: c.input.occurredAt,
          registration: c.enrollment.id,
          result:
            c.input.type === ProgressEventType.LessonCompleted
              ? { completion: true }
              : c.credited
                ? { duration: `PT${c.credited}S` }
                : undefined,
        }),
      );
    }
    return out;
  }
}
