import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CourseBlockEntity,
  CourseEntity,
  CourseLessonEntity,
  CourseStatus,
  CourseVersionEntity,
  type QuizBlock,
} from '@hocso/courses';
import { DataSource, type EntityManager, In } from 'typeorm';

export interface VersionLesson {
  id: string;
  slug: string;
  position: number;
  minutes: number;
  /** block ids and keys (quiz/practice ids) in this lesson */
  blockRefs: Set<string>;
}

export interface VersionQuiz {
  lessonId: string;
  block: QuizBlock & { maxAttempts?: number; cooldownMinutes?: number };
}

/** What learning needs of an (immutable) course version: its lessons, blocks and quizzes. */
export interface VersionStructure {
  versionId: string;
  courseId: string;
  courseSlug: string;
  lessons: Map<string, VersionLesson>;
  lessonOrder: string[];
  quizzes: Map<string, VersionQuiz>;
}

const MAX_CACHED = 500;
const COURSE_ID_TTL_MS = 5 * 60_000;

/**
 * Read-only view of the courses library for the learning engine. Versions never change once
 * published (a database trigger refuses updates), so their structure is cached by id.
 */
@Injectable()
export class CourseContentReader {
  private readonly cache = new Map<string, VersionStructure>();
  private readonly ids = new Map<string, { id: string; expires: number }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A published course by slug (its latest version is what new enrollments get). */
  async publishedCourse(slug: string): Promise<CourseEntity | null> {
    const course = await this.dataSource.getRepository(CourseEntity).findOneBy({ slug });
    return course && course.status === CourseStatus.Published && course.latestVersionId ? course : null;
  }

  async coursesBySlugs(slugs: string[]): Promise<CourseEntity[]> {
    return slugs.length ? this.dataSource.getRepository(CourseEntity).findBy({ slug: In(slugs) }) : [];
  }

  /**
   * The ids of courses by slug, for the progress hot path (a query saved on every batch). A
   * course keeps its id and slug for life (courses are archived, not deleted), so the only risk
   * of the cache is a course deleted and re-made under the same slug — the entry expires after
   * COURSE_ID_TTL_MS. Unknown slugs are not cached.
   */
  async courseIdsBySlugs(slugs: string[]): Promise<Array<{ id: string; slug: string }>> {
    const now = Date.now();
    const out: Array<{ id: string; slug: string }> = [];
    const missing: string[] = [];
    for (const slug of slugs) {
      const hit = this.ids.get(slug);
      if (hit && hit.expires > now) out.push({ id: hit.id, slug });
      else missing.push(slug);
    }
    if (missing.length) {
      for (const c of await this.coursesBySlugs(missing)) {
        if (this.ids.size >= MAX_CACHED) this.ids.delete(this.ids.keys().next().value as string);
        this.ids.set(c.slug, { id: c.id, expires: now + COURSE_ID_TTL_MS });
        out.push({ id: c.id, slug: c.slug });
      }
    }
    return out;
  }

  /**
   * @param em the caller's transaction, when there is one: on the embedded PGlite every connection
   *   shares one session, so a query on another connection would wait for that transaction for ever.
   */
  async structure(versionId: string, em: EntityManager = this.dataSource.manager): Promise<VersionStructure> {
    const hit = this.cache.get(versionId);
    if (hit) return hit;
    const version = await em.getRepository(CourseVersionEntity).findOneByOrFail({ id: versionId });
    const course = await em.getRepository(CourseEntity).findOneByOrFail({ id: version.courseId });
    const lessons = await em
      .getRepository(CourseLessonEntity)
      .find({ where: { versionId }, order: { position: 'ASC' } });
    const blocks = await em.getRepository(CourseBlockEntity).find({ where: { versionId } });
    const structure: VersionStructure = {
      versionId,
      courseId: version.courseId,
      courseSlug: course.slug,
      lessons: new Map(),
      lessonOrder: lessons.map((l) => l.id),
      quizzes: new Map(),
    };
    for (const l of lessons) {
      structure.lessons.set(l.id, {
        id: l.id,
        slug: l.slug,
        position: l.position,
        minutes: l.minutes,
        blockRefs: new Set(),
      });
    }
    for (const b of blocks) {
      const lesson = structure.lessons.get(b.lessonId);
      lesson?.blockRefs.add(b.id);
      if (b.key) lesson?.blockRefs.add(b.key);
      if (b.kind === 'quiz' && b.key)
        structure.quizzes.set(b.key, { lessonId: b.lessonId, block: b.data as VersionQuiz['block'] });
    }
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(versionId, structure);
    return structure;
  }
}
