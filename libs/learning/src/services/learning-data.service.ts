import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { PersonalDataRegistry } from '@hocso/identity';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Progress logs are behaviour-tracking data (Decree 356/2025): they are part of "export my data",
 * erased with the account (enrollment outcomes and daily minute totals stay, attached to the
 * anonymous account row, for aggregate counts), and deleted after LEARNING_RETENTION_DAYS.
 */
@Injectable()
export class LearningDataService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit() {
    this.registry.register({
      section: 'learning',
      export: (userId, em) => this.export(userId, em),
      erase: (userId, em) => this.erase(userId, em),
    });
  }

  private async export(userId: string, em: EntityManager) {
    const q = (sql: string) => em.query(sql, [userId]);
    return {
      enrollments: await q(
        `SELECT id, course_slug AS "courseSlug", version_id AS "versionId", source, status, enrolled_at AS "enrolledAt",
                completed_at AS "completedAt", lessons_completed AS "lessonsCompleted", learning_seconds AS "learningSeconds"
           FROM enrollment WHERE user_id = $1 ORDER BY enrolled_at`,
      ),
      lessonProgress: await q(
        `SELECT lp.enrollment_id AS "enrollmentId", lp.lesson_id AS "lessonId", lp.started_at AS "startedAt",
                lp.completed_at AS "completedAt", lp.seconds
           FROM lesson_progress lp JOIN enrollment e ON e.id = lp.enrollment_id WHERE e.user_id = $1`,
      ),
      progressEvents: await q(
        `SELECT event_id AS "eventId", type, lesson_id AS "lessonId", block_id AS "blockId", occurred_at AS "occurredAt",
                seconds, credited_seconds AS "creditedSeconds" FROM progress_event WHERE user_id = $1 ORDER BY occurred_at`,
      ),
      quizAttempts: await q(
        `SELECT quiz_id AS "quizId", attempt_number AS "attemptNumber", score, passed, answers, created_at AS "createdAt"
           FROM quiz_attempt WHERE user_id = $1 ORDER BY created_at`,
      ),
      minutesByDay: await q(
        `SELECT to_char(local_date, 'YYYY-MM-DD') AS "localDate", course_id AS "courseId", seconds
           FROM learning_minutes_daily WHERE user_id = $1 ORDER BY local_date`,
      ),
      xapiStatements: (await q(`SELECT statement FROM xapi_statement WHERE user_id = $1 ORDER BY stored`)).map(
        (r: { statement: unknown }) => r.statement,
      ),
    };
  }

  private async erase(userId: string, em: EntityManager) {
    await em.query(`DELETE FROM progress_event WHERE user_id = $1`, [userId]);
    await em.query(`DELETE FROM learning_coverage WHERE user_id = $1`, [userId]);
    await em.query(`DELETE FROM quiz_attempt WHERE user_id = $1`, [userId]);
    await em.query(`DELETE FROM xapi_statement WHERE user_id = $1`, [userId]);
    await em.query(
      `DELETE FROM lesson_progress WHERE enrollment_id IN (SELECT id FROM enrollment WHERE user_id = $1)`,
      [userId],
    );
    await em.query(`UPDATE enrollment SET last_lesson_id = NULL, source_ref = NULL WHERE user_id = $1`, [userId]);
  }

  /** Retention: detailed logs older than the configured days go; totals stay. */
  async purgeExpired(now = new Date()): Promise<{ progressEvents: number; xapiStatements: number }> {
    const cutoff = new Date(now.getTime() - this.config.learning.retentionDays * 86_400_000);
    const events = await this.dataSource.query(`DELETE FROM progress_event WHERE received_at < $1`, [cutoff]);
    const statements = await this.dataSource.query(`DELETE FROM xapi_statement WHERE stored < $1`, [cutoff]);
    const count = (r: unknown) => (Array.isArray(r) && typeof r[1] === 'number' ? r[1] : 0);
    return { progressEvents: count(events), xapiStatements: count(statements) };
  }
}
