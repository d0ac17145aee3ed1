import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { splitByLocalDay, type UserActor } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { JobName, QueueService } from '@hocso/queue';
import { DataSource, type EntityManager } from 'typeorm';
import type { EnrollmentEntity } from '../entities/enrollment.entity';
import { ProgressEventType } from '../entities/progress-event.entity';
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

/** The rows a batch's credited time writes (insertNew), as the columns' arrays. */
interface CreditWrites {
  coverage: { dates: string[]; ranges: string[]; seconds: number[] };
  minutes: { dates: string[]; courseIds: string[]; seconds: number[] };
}
const NO_CREDIT: CreditWrites = {
  coverage: { dates: [], ranges: [], seconds: [] },
  minutes: { dates: [], courseIds: [], seconds: [] },
};

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
    const courses = await this.content.courseIdsBySlugs([...new Set(events.map((e) => e.courseSlug))]);
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
      // Under the learner's lock nothing else stores their events, so the ids found here are all
      // the duplicates: the credit is worked out before the rows are written and stored with them
      // (one INSERT, where a later UPDATE of every credited row doubled the batch's writes).
      const known = await this.storedEvents(em, actor.userId, candidates);
      for (const c of candidates) {
        result[c.index] = known.ids.has(c.input.eventId)
          ? { eventId: c.input.eventId, status: 'duplicate' }
          : { eventId: c.input.eventId, status: 'accepted', creditedSeconds: 0 };
      }
      const fresh = candidates.filter((c) => !known.ids.has(c.input.eventId));
      if (fresh.length === 0) return result;

      const credit = await this.creditTime(em, actor.userId, fresh, known.times);
      for (const date of credit.dates) creditedDates.add(date);
      const inserted = await this.insertNew(em, actor.userId, fresh, credit.writes);
      if (inserted.size !== fresh.length) {
        // Only a writer that ignores the learner lock could get here; the credit above assumed these rows new.
        throw new Error(`progress events stored concurrently for user ${actor.userId}`);
      }
      for (const c of fresh) result[c.index].creditedSeconds = c.credited;
      await this.applyLessons(em, fresh, credit.lessonSeconds, credit.enrollmentSeconds);
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

  /**
   * One read for the batch: which candidates this learner has stored already (duplicates of
   * earlier batches), and the times of their stored events in the window the batch's time claims
   * look back over (a claim never reaches back past the learner's previous event).
   */
  private async storedEvents(
    em: EntityManager,
    userId: string,
    candidates: Candidate[],
  ): Promise<{ ids: Set<string>; times: number[] }> {
    if (candidates.length === 0) return { ids: new Set(), times: [] };
    const timed = candidates.filter((c) => TIMED.has(c.input.type) && (c.input.seconds ?? 0) > 0);
    const at = timed.map((c) => c.input.occurredAt.getTime());
    const from = at.length ? new Date(Math.min(...at) - this.config.learning.maxEventSeconds * 1000) : null;
    const to = at.length ? new Date(Math.max(...at)) : null;
    const rows: Array<{ event_id: string; occurred_at: Date; candidate: boolean }> = await em.query(
      `SELECT event_id, occurred_at, event_id = ANY($2::uuid[]) AS candidate FROM progress_event
        WHERE user_id = $1 AND (event_id = ANY($2::uuid[]) OR occurred_at BETWEEN $3 AND $4)`,
      [userId, candidates.map((c) => c.input.eventId), from, to],
    );
    return {
      ids: new Set(rows.filter((r) => r.candidate).map((r) => r.event_id)),
      times: rows.map((r) => new Date(r.occurred_at).getTime()),
    };
  }

  /**
   * One statement: the coverage and daily minutes rows of the batch's credit, and INSERT … ON
   * CONFLICT DO NOTHING of the new events with their credited seconds (≤ MAX_BATCH rows); the ids
   * returned are the events written.
   */
  private async insertNew(
    em: EntityManager,
    userId: string,
    candidates: Candidate[],
    credit: CreditWrites,
  ): Promise<Set<string>> {
    const rows: Array<{ event_id: string }> = await em.query(
      `WITH coverage AS (
         INSERT INTO learning_coverage (user_id, local_date, covered, seconds)
         SELECT $1, x.d::date, x.c::int4multirange, x.s FROM unnest($10::text[], $11::text[], $12::int[]) AS x(d, c, s)
         ON CONFLICT (user_id, local_date) DO UPDATE SET covered = EXCLUDED.covered, seconds = EXCLUDED.seconds
       ), minutes AS (
         INSERT INTO learning_minutes_daily (user_id, local_date, course_id, seconds)
         SELECT $1, x.d::date, x.c, x.s FROM unnest($13::text[], $14::uuid[], $15::int[]) AS x(d, c, s)
         ON CONFLICT (user_id, local_date, course_id)
         DO UPDATE SET seconds = learning_minutes_daily.seconds + EXCLUDED.seconds
       )
       INSERT INTO progress_event
         (user_id, event_id, enrollment_id, type, lesson_id, block_id, occurred_at, seconds, credited_seconds)
       SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::timestamptz[],
                                $8::int[], $9::int[])
       ON CONFLICT DO NOTHING
       RETURNING event_id`,
      [
        userId,
        candidates.map((c) => c.input.eventId),
        candidates.map((c) => c.enrollment.id),
        candidates.map((c) => c.input.type),
        candidates.map((c) => c.input.lessonId),
        candidates.map((c) => c.input.blockId ?? null),
        candidates.map((c) => c.input.occurredAt),
        candidates.map((c) => c.input.seconds ?? null),
        candidates.map((c) => c.credited),
        credit.coverage.dates,
        credit.coverage.ranges,
        credit.coverage.seconds,
        credit.minutes.dates,
        credit.minutes.courseIds,
        credit.minutes.seconds,
      ],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  /**
   * Credits learning time (c.credited of each fresh event; called before the events are written,
   * with the times of the learner's stored events around the batch); returns the local dates that
   * gained minutes, the coverage and daily minutes rows (insertNew writes them with the events)
   * and the seconds per lesson and per enrollment (applyLessons writes them with the lesson marks).
   */
  private async creditTime(
    em: EntityManager,
    userId: string,
    fresh: Candidate[],
    storedTimes: number[],
  ): Promise<{
    dates: string[];
    lessonSeconds: Map<string, number>;
    enrollmentSeconds: Map<string, number>;
    writes: CreditWrites;
  }> {
    const lessonSeconds = new Map<string, number>(); // "enrollmentId|lessonId" → seconds
    const enrollmentSeconds = new Map<string, number>(); // enrollmentId → seconds
    const timed = fresh
      .filter((c) => TIMED.has(c.input.type) && (c.input.seconds ?? 0) > 0)
      .sort((a, b) => a.input.occurredAt.getTime() - b.input.occurredAt.getTime());
    if (!timed.length) return { dates: [], lessonSeconds, enrollmentSeconds, writes: NO_CREDIT };
    const { maxEventSeconds, dailyCapSeconds } = this.config.learning;
    const first = timed[0].input.occurredAt.getTime() - maxEventSeconds * 1000;
    const last = timed[timed.length - 1].input.occurredAt.getTime();
    // Every event of this learner in the window (stored earlier, or new in this batch — not
    // written yet): a claim never reaches back past the learner's previous event.
    const times = storedTimes
      .concat(fresh.map((c) => c.input.occurredAt.getTime()))
      .filter((t) => t >= first && t <= last)
      .sort((a, b) => a - b);

    const claims = timed.map((c) => {
      const end = c.input.occurredAt.getTime();
      const previous = times.filter((t) => t < end).pop() ?? Number.NEGATIVE_INFINITY;
      const start = Math.max(end - Math.min(c.input.seconds ?? 0, maxEventSeconds) * 1000, previous);
      return { c, parts: splitByLocalDay(new Date(start), new Date(end)) };
    });
    const days = [...new Set(claims.flatMap((x) => x.parts.map((p) => p.date)))].sort();
    // The learner lock serialises every writer of these rows; FOR UPDATE keeps that true should
    // another writer appear.
    const rows: Array<{ local_date: string; covered: string }> = await em.query(
      `SELECT to_char(local_date, 'YYYY-MM-DD') AS local_date, covered::text AS covered
         FROM learning_coverage WHERE user_id = $1 AND local_date = ANY($2::date[]) ORDER BY local_date FOR UPDATE`,
      [userId, days],
    );
    const coverage = new Map<string, Range[]>(days.map((d) => [d, []]));
    for (const r of rows) coverage.set(r.local_date, parseMultirange(r.covered));

    const minutes = new Map<string, number>(); // "date|courseId" → seconds
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
        enrollmentSeconds.set(c.enrollment.id, (enrollmentSeconds.get(c.enrollment.id) ?? 0) + c.credited);
      }
    }

    // Written with the events, in one statement (insertNew): each statement is a round trip
    // inside the learner's transaction, and round trips are what bound a batch's latency.
    const covered = [...coverage];
    const minuteKeys = [...minutes.keys()].map((k) => k.split('|'));
    const writes: CreditWrites = {
      coverage: {
        dates: covered.map(([d]) => d),
        ranges: covered.map(([, r]) => formatMultirange(r)),
        seconds: covered.map(([, r]) => total(r)),
      },
      minutes: {
        dates: minuteKeys.map(([d]) => d),
        courseIds: minuteKeys.map(([, c]) => c),
        seconds: [...minutes.values()],
      },
    };
    return {
      dates: [...new Set([...minutes.keys()].map((key) => key.split('|')[0]))],
      lessonSeconds,
      enrollmentSeconds,
      writes,
    };
  }

  /**
   * Lesson rows — started/completed marks (earliest wins) and credited seconds, one statement —
   * then per enrollment its credited seconds, the completed count and the resume position.
   */
  private async applyLessons(
    em: EntityManager,
    fresh: Candidate[],
    lessonSeconds: Map<string, number>,
    enrollmentSeconds: Map<string, number>,
  ): Promise<void> {
    const lessons = new Map<string, { started: Date | null; completed: Date | null; seconds: number }>();
    const lesson = (key: string) => {
      const row = lessons.get(key) ?? { started: null, completed: null, seconds: 0 };
      lessons.set(key, row);
      return row;
    };
    const earliest = (a: Date | null, b: Date) => (a && a <= b ? a : b);
    for (const c of fresh) {
      const key = `${c.enrollment.id}|${c.input.lessonId}`;
      if (c.input.type === ProgressEventType.LessonStarted) {
        lesson(key).started = earliest(lesson(key).started, c.input.occurredAt);
      } else if (c.input.type === ProgressEventType.LessonCompleted) {
        lesson(key).completed = earliest(lesson(key).completed, c.input.occurredAt);
      }
    }
    for (const [key, seconds] of lessonSeconds) lesson(key).seconds += seconds;
    if (lessons.size) {
      const keys = [...lessons.keys()].map((k) => k.split('|'));
      const values = [...lessons.values()];
      // LEAST ignores NULLs: a mark already set stays unless this batch has an earlier one.
      await em.query(
        `INSERT INTO lesson_progress (enrollment_id, lesson_id, started_at, completed_at, seconds)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::int[])
         ON CONFLICT (enrollment_id, lesson_id) DO UPDATE SET
           started_at = LEAST(lesson_progress.started_at, EXCLUDED.started_at),
           completed_at = LEAST(lesson_progress.completed_at, EXCLUDED.completed_at),
           seconds = lesson_progress.seconds + EXCLUDED.seconds`,
        [
          keys.map(([e]) => e),
          keys.map(([, l]) => l),
          values.map((v) => v.started),
          values.map((v) => v.completed),
          values.map((v) => v.seconds),
        ],
      );
    }
    for (const enrollment of new Set(fresh.map((c) => c.enrollment))) {
      const latest = fresh
        .filter((c) => c.enrollment === enrollment)
        .reduce((a, b) => (b.input.occurredAt > a.input.occurredAt ? b : a));
      const rows: Array<Record<string, unknown>> = await em.query(
        `UPDATE enrollment e SET
            learning_seconds = e.learning_seconds + $4,
            lessons_completed = (SELECT count(*) FROM lesson_progress lp WHERE lp.enrollment_id = e.id AND lp.completed_at IS NOT NULL),
            last_lesson_id = CASE WHEN e.last_activity_at IS NULL OR e.last_activity_at <= $2 THEN $3::uuid ELSE e.last_lesson_id END,
            last_activity_at = GREATEST(COALESCE(e.last_activity_at, $2), $2),
            updated_at = now()
          WHERE e.id = $1
          RETURNING e.lessons_completed, e.learning_seconds, e.last_lesson_id, e.last_activity_at`,
        [enrollment.id, latest.input.occurredAt, latest.input.lessonId, enrollmentSeconds.get(enrollment.id) ?? 0],
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
