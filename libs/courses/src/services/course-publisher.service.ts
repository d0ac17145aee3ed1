import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CourseEntity, type CourseSource, CourseStatus } from '../entities/course.entity';
import { CourseBlockEntity } from '../entities/course-block.entity';
import { CourseLessonEntity } from '../entities/course-lesson.entity';
import { CourseModuleEntity } from '../entities/course-module.entity';
import { CourseVersionEntity } from '../entities/course-version.entity';
import { blockKey, type CoursePackage } from '../package/package.types';
import { catalogueColumns } from './search-text';

const CHUNK = 200;

/**
 * Writes a new immutable version of a course (version row, modules, lessons, blocks) and points
 * the course at it. Callers run it inside their transaction after `lockCourse`.
 */
@Injectable()
export class CoursePublisher {
  /** Serialises every writer of one course (importer, editors, other api processes). */
  async lockCourse(em: EntityManager, slug: string): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`hocso:course:${slug}`]);
  }

  async latestHash(em: EntityManager, course: CourseEntity): Promise<string | null> {
    if (!course.latestVersionId) return null;
    const row = await em
      .getRepository(CourseVersionEntity)
      .createQueryBuilder('v')
      .select(['v.id', 'v.contentHash'])
      .where('v.id = :id', { id: course.latestVersionId })
      .getOne();
    return row?.contentHash ?? null;
  }

  async publish(
    em: EntityManager,
    course: CourseEntity,
    pkg: CoursePackage,
    contentHash: string,
    source: CourseSource,
    actorUserId: string | null,
  ): Promise<CourseVersionEntity> {
    const versionId = randomUUID();
    const number = course.latestVersionNumber + 1;
    await em.insert(CourseVersionEntity, {
      id: versionId,
      courseId: course.id,
      number,
      contentHash,
      package: pkg,
      source,
      publishedBy: actorUserId,
    });
    const modules: Array<Partial<CourseModuleEntity>> = [];
    const lessons: Array<Partial<CourseLessonEntity>> = [];
    const blocks: Array<Partial<CourseBlockEntity>> = [];
    let lessonPosition = 0;
    pkg.modules.forEach((m, moduleIndex) => {
      const moduleId = randomUUID();
      modules.push({ id: moduleId, versionId, position: moduleIndex, titleVi: m.title.vi, titleEn: m.title.en });
      for (const l of m.lessons) {
        const lessonId = randomUUID();
        lessons.push({
          id: lessonId,
          versionId,
          moduleId,
          position: lessonPosition++,
          slug: l.slug,
          titleVi: l.title.vi,
          titleEn: l.title.en,
          minutes: l.minutes,
          competencies: l.competencies,
        });
        l.blocks.forEach((b, position) => {
          blocks.push({ versionId, lessonId, position, kind: b.kind, key: blockKey(b), data: b });
        });
      }
    });
    await insertChunks(em, CourseModuleEntity, modules);
    await insertChunks(em, CourseLessonEntity, lessons);
    await insertChunks(em, CourseBlockEntity, blocks);
    await em.update(CourseEntity, course.id, {
      ...catalogueColumns(pkg),
      status: CourseStatus.Published,
      latestVersionId: versionId,
      latestVersionNumber: number,
      publishedAt: new Date(),
      archivedAt: null,
      ...(actorUserId ? { updatedBy: actorUserId } : {}),
    });
    // the package itself is not read back: callers have it
    return em.getRepository(CourseVersionEntity).findOneOrFail({
      where: { id: versionId },
      select: {
        id: true,
        courseId: true,
        number: true,
        contentHash: true,
        source: true,
        publishedBy: true,
        createdAt: true,
      },
    });
  }
}

async function insertChunks<T extends object>(
  em: EntityManager,
  target: new () => T,
  rows: Array<Partial<T>>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // biome-ignore lint/suspicious/noExplicitAny: TypeORM's insert() typing wants a deep-partial entity
    await em.insert(target, rows.slice(i, i + CHUNK) as any);
  }
}
