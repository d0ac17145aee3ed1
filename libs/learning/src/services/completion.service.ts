import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EnrollmentEntity, EnrollmentStatus } from '../entities/enrollment.entity';
import { LearningEventEntity, LearningEventType } from '../entities/learning-event.entity';
import type { VersionStructure } from './course-content.reader';
import type { CourseCompletedEvent } from './learning-events';
import { XapiBuilder } from './xapi.builder';

export interface CompletionRule {
  requiredLessonIds: string[];
  requiredQuizIds: string[];
}

/**
 * A course is complete when every required lesson has a lesson_completed event and every graded
 * quiz has a passed attempt. The rule is data kept with the version (course_completion_rule); the
 * default is every lesson and every quiz. Completion is recorded exactly once: the state change is a
 * conditional UPDATE, and the CourseCompleted event a unique outbox row, in the same transaction.
 */
@Injectable()
export class CompletionService {
  constructor(private readonly xapi: XapiBuilder) {}

  async ruleFor(em: EntityManager, structure: VersionStructure): Promise<CompletionRule> {
    const [row] = await em.query(
      `SELECT required_lesson_ids, required_quiz_ids FROM course_completion_rule WHERE version_id = $1`,
      [structure.versionId],
    );
    if (row) return { requiredLessonIds: row.required_lesson_ids, requiredQuizIds: row.required_quiz_ids };
    const rule: CompletionRule = {
      requiredLessonIds: structure.lessonOrder,
      requiredQuizIds: [...structure.quizzes.keys()],
    };
    await em.query(
      `INSERT INTO course_completion_rule (version_id, required_lesson_ids, required_quiz_ids) VALUES ($1, $2, $3)
       ON CONFLICT (version_id) DO NOTHING`,
      [structure.versionId, rule.requiredLessonIds, rule.requiredQuizIds],
    );
    return rule;
  }

  /** Completes the enrollment if the rule is met; true only for the one call that completed it. */
  async evaluate(em: EntityManager, enrollment: EnrollmentEntity, structure: VersionStructure): Promise<boolean> {
    if (enrollment.status !== EnrollmentStatus.Active) return false;
    const rule = await this.ruleFor(em, structure);
    const [{ lessons }] = await em.query(
      `SELECT count(*)::int AS lessons FROM lesson_progress
        WHERE enrollment_id = $1 AND completed_at IS NOT NULL AND lesson_id = ANY($2::uuid[])`,
      [enrollment.id, rule.requiredLessonIds],
    );
    if (lessons < rule.requiredLessonIds.length) return false;
    if (rule.requiredQuizIds.length) {
      const [{ quizzes }] = await em.query(
        `SELECT count(DISTINCT quiz_id)::int AS quizzes FROM quiz_attempt
          WHERE enrollment_id = $1 AND passed AND quiz_id = ANY($2::text[])`,
        [enrollment.id, rule.requiredQuizIds],
      );
      if (quizzes < rule.requiredQuizIds.length) return false;
    }
    const updated: Array<{ completed_at: Date }> = await em.query(
      `UPDATE enrollment SET status = 'completed', completed_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'active' RETURNING completed_at`,
      [enrollment.id],
    );
    // TypeORM returns [rows, count] for UPDATE … RETURNING on PostgreSQL.
    const rows = (Array.isArray(updated[0]) ? updated[0] : updated) as Array<{ completed_at: Date }>;
    if (!rows.length) return false;
    const completedAt = new Date(rows[0].completed_at);
    enrollment.status = EnrollmentStatus.Completed;
    enrollment.completedAt = completedAt;
    const payload: CourseCompletedEvent = {
      enrollmentId: enrollment.id,
      userId: enrollment.userId,
      courseId: enrollment.courseId,
      courseSlug: enrollment.courseSlug,
      versionId: enrollment.versionId,
      completedAt: completedAt.toISOString(),
    };
    await em
      .createQueryBuilder()
      .insert()
      .into(LearningEventEntity)
      .values({ type: LearningEventType.CourseCompleted, key: enrollment.id, payload: payload as never })
      .orIgnore()
      .execute();
    await this.xapi.store(em, [
      this.xapi.build({
        userId: enrollment.userId,
        verb: 'completed',
        object: { kind: 'course', courseSlug: enrollment.courseSlug },
        timestamp: completedAt,
        result: { completion: true },
        registration: enrollment.id,
      }),
    ]);
    return true;
  }
}
