import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CoursesException, CoursesExceptionCode } from '../courses.exception';
import { CourseEntity, CourseSource, CourseStatus } from '../entities/course.entity';
import { CompetencyCatalog } from '../package/competency-catalog';
import { contentHash } from '../package/content-hash';
import { type FrameworkDefinition, frameworkCodes, readFrameworks } from '../package/framework-reader';
import { currentFrameworks } from '../package/library-reader';
import type { CoursePackage } from '../package/package.types';
import { listCourseDirs, readCoursePackage } from '../package/package-reader';
import type { PackageProblem } from '../package/problems';
import { CoursePublisher } from './course-publisher.service';
import { type FrameworkSyncOutcome, FrameworksService } from './frameworks.service';
import { catalogueColumns } from './search-text';

export type CourseImportOutcome = 'created' | 'updated' | 'unchanged' | 'rejected' | 'skipped';

export interface CourseImportResult {
  slug: string;
  outcome: CourseImportOutcome;
  /** the version now current (created, updated, unchanged) */
  version?: number;
  contentHash?: string;
  /** why a course was skipped */
  reason?: 'archived';
  /** every problem of a rejected course, with file and line */
  problems: PackageProblem[];
}

export interface ImportReport {
  contentDir: string;
  dryRun: boolean;
  frameworks: Array<{ code: string; version: string; outcome: FrameworkSyncOutcome | 'valid' }>;
  frameworkProblems: PackageProblem[];
  courses: CourseImportResult[];
  counts: Record<CourseImportOutcome, number>;
}

/**
 * `npm run content:import` and the first-start import: reads content/frameworks and
 * content/courses, reports every problem with file and line, and imports idempotently — an
 * unchanged package (same content hash) does nothing, a changed one becomes a new version, and a
 * course with any problem is not imported at all while the valid ones are.
 */
@Injectable()
export class CourseImportService {
  private readonly logger = new Logger('ContentImport');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly frameworks: FrameworksService,
    private readonly publisher: CoursePublisher,
  ) {}

  async importDirectory(dir: string, options: { dryRun?: boolean; today?: string } = {}): Promise<ImportReport> {
    const contentDir = resolve(dir);
    if (!existsSync(join(contentDir, 'courses')) || !statSync(join(contentDir, 'courses')).isDirectory()) {
      throw new CoursesException(CoursesExceptionCode.CONTENT_DIR_NOT_FOUND, { extensions: { contentDir } });
    }
    const dryRun = options.dryRun ?? false;
    const read = readFrameworks(contentDir);
    const frameworks = dryRun
      ? read.frameworks.map((f) => ({ code: f.code, version: f.version, outcome: 'valid' as const }))
      : await this.frameworks.sync(read.frameworks);
    const catalog = dryRun ? this.catalogOf(read.frameworks) : await this.frameworks.catalog();

    const courses: CourseImportResult[] = [];
    for (const courseDir of listCourseDirs(contentDir)) {
      const result = readCoursePackage(courseDir, { baseDir: contentDir, catalog, today: options.today });
      if (!result.package) {
        courses.push({ slug: result.slug, outcome: 'rejected', problems: result.problems });
        continue;
      }
      const pkg = result.package;
      const hash = contentHash(pkg);
      if (dryRun) {
        courses.push({ slug: pkg.slug, outcome: 'unchanged', contentHash: hash, problems: [] });
        continue;
      }
      courses.push(await this.importCourse(pkg, hash));
    }
    const counts: Record<CourseImportOutcome, number> = {
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      skipped: 0,
    };
    for (const c of courses) counts[c.outcome]++;
    if (!dryRun) {
      this.logger.log(
        `${contentDir}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ` +
          `${counts.rejected} rejected, ${counts.skipped} skipped`,
      );
    }
    return { contentDir, dryRun, frameworks, frameworkProblems: read.problems, courses, counts };
  }

  /**
   * First start: loads the frameworks (always; idempotent) and imports the library only when no
   * course exists yet. Returns null when the library was not empty.
   */
  async importIfEmpty(dir: string): Promise<ImportReport | null> {
    const any = await this.dataSource
      .getRepository(CourseEntity)
      .createQueryBuilder('c')
      .select('c.id')
      .limit(1)
      .getOne();
    if (any) {
      const read = readFrameworks(resolve(dir));
      if (read.frameworks.length) await this.frameworks.sync(read.frameworks);
      return null;
    }
    const report = await this.importDirectory(dir);
    for (const c of report.courses.filter((x) => x.outcome === 'rejected')) {
      this.logger.warn(
        `${c.slug} not imported: ${c.problems.length} problem(s); run npm run content:import to see them`,
      );
    }
    return report;
  }

  private async importCourse(pkg: CoursePackage, hash: string): Promise<CourseImportResult> {
    return this.dataSource.transaction(async (em) => {
      await this.publisher.lockCourse(em, pkg.slug);
      let course = await em.findOneBy(CourseEntity, { slug: pkg.slug });
      if (course?.status === CourseStatus.Archived) {
        return {
          slug: pkg.slug,
          outcome: 'skipped',
          reason: 'archived',
          version: course.latestVersionNumber,
          problems: [],
        } satisfies CourseImportResult;
      }
      if (course && (await this.publisher.latestHash(em, course)) === hash) {
        return {
          slug: pkg.slug,
          outcome: 'unchanged',
          version: course.latestVersionNumber,
          contentHash: hash,
          problems: [],
        } satisfies CourseImportResult;
      }
      const created = !course;
      if (!course) {
        course = await em.save(
          em.create(CourseEntity, {
            slug: pkg.slug,
            status: CourseStatus.Draft,
            source: CourseSource.Import,
            latestVersionNumber: 0,
            ...catalogueColumns(pkg),
          }),
        );
      }
      const version = await this.publisher.publish(em, course, pkg, hash, CourseSource.Import, null);
      return {
        slug: pkg.slug,
        outcome: created ? 'created' : 'updated',
        version: version.number,
        contentHash: hash,
        problems: [],
      } satisfies CourseImportResult;
    });
  }

  /** Dry run: the codes the files define, without touching the database. */
  private catalogOf(fileFrameworks: FrameworkDefinition[]): CompetencyCatalog {
    return new CompetencyCatalog(currentFrameworks(fileFrameworks).map(frameworkCodes));
  }
}
