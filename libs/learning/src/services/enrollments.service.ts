import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { UserActor } from '@hocso/common';
import { type Page, paginate } from '@hocso/database';
import { type EntityManager, In, Not, QueryFailedError, Repository } from 'typeorm';
import { EnrollmentEntity, EnrollmentSource, EnrollmentStatus } from '../entities/enrollment.entity';
import { LearningException, LearningExceptionCode } from '../learning.exception';
import { CourseContentReader } from './course-content.reader';

export interface EnrollmentView {
  enrollment: EnrollmentEntity;
  lessonsTotal: number;
  /** 0…100 */
  progressPercent: number;
  minutes: number;
  /** where to resume: the last lesson touched, else the first not completed */
  resumeLessonId: string | null;
}

@Injectable()
export class EnrollmentsService {
  constructor(
    @InjectRepository(EnrollmentEntity) private readonly enrollments: Repository<EnrollmentEntity>,
    private readonly content: CourseContentReader,
  ) {}

  /** Self-enrollment. Enrolling again returns the existing enrollment (`created: false`). */
  async enroll(actor: UserActor, courseSlug: string): Promise<{ view: EnrollmentView; created: boolean }> {
    const { enrollment, created } = await this.enrollUser(actor.userId, courseSlug, EnrollmentSource.Self, null);
    return { view: await this.view(enrollment), created };
  }

  /**
   * Enrollment on someone's behalf — by cohorts, enterprises, LTI launches (their libraries call
   * this; access is checked by the caller). Idempotent per user and course: the learner keeps the
   * version they started.
   */
  async enrollUser(
    userId: string,
    courseSlug: string,
    source: EnrollmentSource,
    sourceRef: string | null,
  ): Promise<{ enrollment: EnrollmentEntity; created: boolean }> {
    const course = await this.content.publishedCourse(courseSlug);
    if (!course) throw new LearningException(LearningExceptionCode.COURSE_NOT_AVAILABLE, { field: 'courseSlug' });
    const existing = await this.live(this.enrollments.manager, userId, course.id);
    if (existing) return { enrollment: existing, created: false };
    try {
      const enrollment = await this.enrollments.save(
        this.enrollments.create({
          userId,
          courseId: course.id,
          courseSlug: course.slug,
          versionId: course.latestVersionId as string,
          source,
          sourceRef,
          status: EnrollmentStatus.Active,
        }),
      );
      return { enrollment, created: true };
    } catch (err) {
      // A concurrent enrollment won the unique index: return that one.
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505') {
        const winner = await this.live(this.enrollments.manager, userId, course.id);
        if (winner) return { enrollment: winner, created: false };
      }
      throw err;
    }
  }

  /**
   * Enrolls several people in courses already resolved by the caller (published, with their latest
   * version), inside the caller's transaction — cohorts enroll their members this way. People
   * already enrolled keep their enrollment and version. Returns how many enrollments were created.
   */
  async enrollManyIn(
    em: EntityManager,
    userIds: string[],
    courses: Array<{ id: string; slug: string; versionId: string }>,
    source: EnrollmentSource,
    sourceRef: string | null,
  ): Promise<number> {
    if (!userIds.length || !courses.length) return 0;
    const rows: Array<{ id: string }> = await em.query(
      `INSERT INTO enrollment (user_id, course_id, course_slug, version_id, source, source_ref)
       SELECT u.id, c.id, c.slug, c.version_id, $5, $6
         FROM unnest($1::uuid[]) AS u(id)
        CROSS JOIN unnest($2::uuid[], $3::text[], $4::uuid[]) AS c(id, slug, version_id)
       ON CONFLICT (user_id, course_id) WHERE status <> 'withdrawn' DO NOTHING
       RETURNING id`,
      [
        userIds,
        courses.map((c) => c.id),
        courses.map((c) => c.slug),
        courses.map((c) => c.versionId),
        source,
        sourceRef,
      ],
    );
    return rows.length;
  }

  async listMine(actor: UserActor, query: { cursor?: string; limit: number }): Promise<Page<EnrollmentView>> {
    const qb = this.enrollments
      .createQueryBuilder('e')
      .where('e.user_id = :userId', { userId: actor.userId })
      .andWhere('e.status <> :withdrawn', { withdrawn: EnrollmentStatus.Withdrawn });
    const page = await paginate(qb, {
      cursor: query.cursor,
      limit: query.limit,
      sortColumn: 'e.enrolled_at',
      sortValue: (e) => e.enrolledAt,
    });
    return { items: await Promise.all(page.items.map((e) => this.view(e))), nextCursor: page.nextCursor };
  }

  /** Another learner's enrollment is reported as not found. */
  async getMine(actor: UserActor, id: string): Promise<EnrollmentView> {
    const enrollment = await this.enrollments.findOneBy({
      id,
      userId: actor.userId,
      status: Not(EnrollmentStatus.Withdrawn),
    });
    if (!enrollment) throw new LearningException(LearningExceptionCode.ENROLLMENT_NOT_FOUND);
    return this.view(enrollment);
  }

  /** The user's live enrollments in these courses (for progress events and quizzes). */
  async liveFor(em: EntityManager, userId: string, courseIds: string[]): Promise<EnrollmentEntity[]> {
    if (!courseIds.length) return [];
    return em.findBy(EnrollmentEntity, {
      userId,
      courseId: In(courseIds),
      status: In([EnrollmentStatus.Active, EnrollmentStatus.Completed]),
    });
  }

  async view(enrollment: EnrollmentEntity): Promise<EnrollmentView> {
    const structure = await this.content.structure(enrollment.versionId);
    const total = structure.lessonOrder.length;
    return {
      enrollment,
      lessonsTotal: total,
      progressPercent: total ? Math.min(100, Math.round((enrollment.lessonsCompleted / total) * 100)) : 0,
      minutes: Math.floor(enrollment.learningSeconds / 60),
      resumeLessonId: enrollment.lastLessonId ?? structure.lessonOrder[0] ?? null,
    };
  }

  private live(em: EntityManager, userId: string, courseId: string): Promise<EnrollmentEntity | null> {
    return em.findOneBy(EnrollmentEntity, {
      userId,
      courseId,
      status: In([EnrollmentStatus.Active, EnrollmentStatus.Completed]),
    });
  }
}
