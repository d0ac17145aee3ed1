import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor } from '@hocso/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CoursesException, CoursesExceptionCode } from '../courses.exception';
import { CourseEntity, CourseSource, CourseStatus } from '../entities/course.entity';
import { CourseVersionEntity } from '../entities/course-version.entity';
import { contentHash } from '../package/content-hash';
import type { CoursePackage } from '../package/package.types';
import { validateCoursePackage } from '../package/package-validator';
import type { PackageProblem } from '../package/problems';
import { isContentEditor } from './catalogue.service';
import { CoursePublisher } from './course-publisher.service';
import type { CourseDraftView, PublishResultView } from './course.views';
import { FrameworksService } from './frameworks.service';
import { catalogueColumns } from './search-text';

/**
 * Authoring through the API, for content editors and province admins: the JSON form of a package
 * becomes a draft (POST, PUT), publishing turns the draft into a new immutable version, archiving
 * takes a course out of the catalogue (its versions stay readable for the learners who have them).
 */
@Injectable()
export class CourseAuthoringService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly frameworks: FrameworksService,
    private readonly publisher: CoursePublisher,
  ) {}

  async create(actor: Actor, input: unknown): Promise<CourseDraftView> {
    const userId = this.requireEditor(actor);
    const pkg = await this.validate(actor, input);
    return this.dataSource.transaction(async (em) => {
      await this.publisher.lockCourse(em, pkg.slug);
      if (await em.existsBy(CourseEntity, { slug: pkg.slug })) {
        throw new CoursesException(CoursesExceptionCode.COURSE_SLUG_TAKEN, { field: 'slug' });
      }
      const course = await em.save(
        em.create(CourseEntity, {
          slug: pkg.slug,
          status: CourseStatus.Draft,
          source: CourseSource.Authoring,
          latestVersionNumber: 0,
          ...catalogueColumns(pkg),
          draft: pkg,
          draftHash: contentHash(pkg),
          draftUpdatedAt: new Date(),
          createdBy: userId,
          updatedBy: userId,
        }),
      );
      return this.draftView(em, course);
    });
  }

  /** Replaces the draft (a published course keeps serving its latest version until the draft is published). */
  async update(actor: Actor, slug: string, input: unknown): Promise<CourseDraftView> {
    const userId = this.requireEditor(actor);
    const pkg = await this.validate(actor, input);
    if (pkg.slug !== slug) throw new CoursesException(CoursesExceptionCode.SLUG_MISMATCH, { field: 'slug' });
    return this.dataSource.transaction(async (em) => {
      await this.publisher.lockCourse(em, slug);
      const course = await this.findOrFail(em, slug);
      course.draft = pkg;
      course.draftHash = contentHash(pkg);
      course.draftUpdatedAt = new Date();
      course.updatedBy = userId;
      if (course.status === CourseStatus.Draft) Object.assign(course, catalogueColumns(pkg));
      await em.save(course);
      return this.draftView(em, course);
    });
  }

  async getDraft(actor: Actor, slug: string): Promise<CourseDraftView> {
    this.requireEditor(actor);
    const course = await this.findOrFail(this.dataSource.manager, slug);
    return this.draftView(this.dataSource.manager, course);
  }

  /**
   * Validates the draft again (frameworks may have changed) and makes it a new immutable version.
   * A draft identical to the latest version creates nothing and answers with that version.
   */
  async publish(actor: Actor, slug: string): Promise<PublishResultView> {
    const userId = this.requireEditor(actor);
    const catalog = await this.frameworks.catalog();
    return this.dataSource.transaction(async (em) => {
      await this.publisher.lockCourse(em, slug);
      const course = await this.findOrFail(em, slug);
      if (!course.draft) throw new CoursesException(CoursesExceptionCode.NOTHING_TO_PUBLISH);
      const checked = validateCoursePackage(course.draft, { catalog });
      if (!checked.value) this.invalid(actor, checked.problems, 'draft');
      const pkg = checked.value!;
      const hash = contentHash(pkg);
      const latestHash = await this.publisher.latestHash(em, course);
      if (latestHash === hash) {
        await em.update(CourseEntity, course.id, {
          draft: null,
          draftHash: null,
          draftUpdatedAt: null,
          status: CourseStatus.Published,
          archivedAt: null,
          updatedBy: userId,
        });
        const latest = await em.getRepository(CourseVersionEntity).findOneOrFail({
          where: { id: course.latestVersionId! },
          select: { id: true, number: true, contentHash: true, createdAt: true },
        });
        return {
          slug,
          status: CourseStatus.Published,
          created: false,
          version: {
            id: latest.id,
            number: latest.number,
            contentHash: latest.contentHash,
            publishedAt: latest.createdAt,
          },
        };
      }
      const version = await this.publisher.publish(em, course, pkg, hash, CourseSource.Authoring, userId);
      await em.update(CourseEntity, course.id, { draft: null, draftHash: null, draftUpdatedAt: null });
      return {
        slug,
        status: CourseStatus.Published,
        created: true,
        version: {
          id: version.id,
          number: version.number,
          contentHash: version.contentHash,
          publishedAt: version.createdAt,
        },
      };
    });
  }

  /** Out of the catalogue; versions stay readable by id and by number. Idempotent. */
  async archive(actor: Actor, slug: string): Promise<CourseDraftView> {
    const userId = this.requireEditor(actor);
    return this.dataSource.transaction(async (em) => {
      await this.publisher.lockCourse(em, slug);
      const course = await this.findOrFail(em, slug);
      if (course.status !== CourseStatus.Archived) {
        course.status = course.latestVersionId ? CourseStatus.Archived : CourseStatus.Draft;
        if (course.latestVersionId) course.archivedAt = new Date();
        course.updatedBy = userId;
        await em.save(course);
      }
      return this.draftView(em, course);
    });
  }

  private requireEditor(actor: Actor): string | null {
    if (!isContentEditor(actor)) throw new CoursesException(CoursesExceptionCode.NOT_A_CONTENT_EDITOR);
    return actor.kind === 'user' ? actor.userId : null;
  }

  private async validate(actor: Actor, input: unknown): Promise<CoursePackage> {
    const catalog = await this.frameworks.catalog();
    if (catalog.size === 0) throw new CoursesException(CoursesExceptionCode.NO_FRAMEWORKS);
    const result = validateCoursePackage(input, { catalog });
    if (!result.value) this.invalid(actor, result.problems);
    return result.value!;
  }

  /** Every problem, each naming its field (a path into the JSON form), in the editor's language. */
  private invalid(actor: Actor, problems: PackageProblem[], prefix?: string): never {
    const locale = actor.kind === 'user' ? actor.locale : 'vi';
    const field = (path: string) => (prefix ? (path ? `${prefix}.${path}` : prefix) : path || '(body)');
    throw new CoursesException(CoursesExceptionCode.PACKAGE_INVALID, {
      extensions: {
        errors: problems.map((p) => ({ field: field(p.path), message: p.message[locale], rule: p.code })),
      },
    });
  }

  private async findOrFail(em: EntityManager, slug: string): Promise<CourseEntity> {
    const course = await em.findOneBy(CourseEntity, { slug });
    if (!course) throw new CoursesException(CoursesExceptionCode.COURSE_NOT_FOUND);
    return course;
  }

  private async draftView(em: EntityManager, course: CourseEntity): Promise<CourseDraftView> {
    const latest = course.latestVersionId
      ? await em.getRepository(CourseVersionEntity).findOne({
          where: { id: course.latestVersionId },
          select: { id: true, number: true, contentHash: true },
        })
      : null;
    return {
      slug: course.slug,
      status: course.status,
      draft: course.draft,
      draftHash: course.draftHash,
      draftUpdatedAt: course.draftUpdatedAt,
      latestVersion: latest ? { number: latest.number, contentHash: latest.contentHash } : null,
    };
  }
}
