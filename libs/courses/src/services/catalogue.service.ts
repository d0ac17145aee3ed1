import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, hasRole, isUuid, Role } from '@hocso/common';
import { decodeCursor, encodeCursor, InvalidCursorError, type Page } from '@hocso/database';
import {
  DataSource,
  type EntitySubscriberInterface,
  type InsertEvent,
  type QueryRunner,
  type RemoveEvent,
  type TransactionCommitEvent,
  type UpdateEvent,
} from 'typeorm';
import { CoursesException, CoursesExceptionCode } from '../courses.exception';
import { CourseEntity, CourseStatus } from '../entities/course.entity';
import { CourseBlockEntity } from '../entities/course-block.entity';
import { CourseLessonEntity } from '../entities/course-lesson.entity';
import { CourseVersionEntity } from '../entities/course-version.entity';
import type { Audience, CourseLevel } from '../package/package.types';
import type {
  CourseOutlineView,
  CourseSummaryView,
  CourseVersionSummaryView,
  LessonView,
  OutlineLessonView,
} from './course.views';
import { competencyWithoutLevel, searchTokens } from './search-text';

export interface CatalogueQuery {
  /** free text; accents and case are ignored */
  q?: string;
  audience?: Audience[];
  level?: CourseLevel[];
  /** codes or code prefixes: "TT02:2.3", "TT02:6" (a whole domain) */
  competency?: string[];
  language?: string;
  /** drafts and archived courses: content editors only */
  status?: CourseStatus;
  cursor?: string;
  limit: number;
}

type OutlineBody = Omit<CourseOutlineView, 'status' | 'latestVersion'> & { courseId: string };

/** A small LRU for immutable version data (outlines, lessons): safe to keep, never stale. */
class Lru<V> {
  private readonly map = new Map<string, Promise<V>>();
  constructor(private readonly max: number) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const value = load();
    this.map.set(key, value);
    value.catch(() => this.map.delete(key));
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return value;
  }
}

/**
 * Pages of the published catalogue by query, kept in memory: search is the hottest anonymous read
 * and its ranking query (regular expressions and trigram similarity over every published course)
 * cost more than the rest of the request (bench/README.md, catalogue reads). Entries are dropped
 * when this process writes a course row — at the write, and again when its transaction commits,
 * so a page read from the old rows meanwhile does not outlive the commit — and expire after
 * CATALOGUE_CACHE_TTL_MS, which bounds how long a change made by another process (a second api,
 * the CLI import) stays unseen. A miss in flight is shared by identical requests.
 */
export const CATALOGUE_CACHE_TTL_MS = 5000;
const CATALOGUE_CACHE_MAX = 1000;

class CatalogueCache implements EntitySubscriberInterface<CourseEntity> {
  private readonly pages = new Map<string, { expires: number; page: Promise<Page<CourseSummaryView>> }>();
  private generation = 0;
  private readonly writers = new WeakSet<QueryRunner>();

  listenTo() {
    return CourseEntity;
  }

  get(key: string, load: () => Promise<Page<CourseSummaryView>>): Promise<Page<CourseSummaryView>> {
    const now = Date.now();
    const hit = this.pages.get(key);
    if (hit && hit.expires > now) return hit.page;
    const generation = this.generation;
    const page = load();
    this.pages.delete(key);
    this.pages.set(key, { expires: now + CATALOGUE_CACHE_TTL_MS, page });
    if (this.pages.size > CATALOGUE_CACHE_MAX) this.pages.delete(this.pages.keys().next().value as string);
    page.then(
      () => {
        // a course was written while this page was read: it may hold the old rows
        if (this.generation !== generation && this.pages.get(key)?.page === page) this.pages.delete(key);
      },
      () => {
        if (this.pages.get(key)?.page === page) this.pages.delete(key);
      },
    );
    return page;
  }

  invalidate(): void {
    this.generation++;
    this.pages.clear();
  }

  private written(queryRunner: QueryRunner | undefined): void {
    this.invalidate();
    if (queryRunner?.isTransactionActive) this.writers.add(queryRunner);
  }

  afterInsert(event: InsertEvent<CourseEntity>) {
    this.written(event.queryRunner);
  }
  afterUpdate(event: UpdateEvent<CourseEntity>) {
    this.written(event.queryRunner);
  }
  afterRemove(event: RemoveEvent<CourseEntity>) {
    this.written(event.queryRunner);
  }
  afterTransactionCommit(event: TransactionCommitEvent) {
    if (!this.writers.has(event.queryRunner)) return;
    this.writers.delete(event.queryRunner);
    this.invalidate();
  }
}

/** The catalogue columns of a course row, as SummaryRow reads them. */
const SUMMARY_COLUMNS = `c.id, c.slug, c.status, c.latest_version_number, c.title_vi, c.title_en, c.summary_vi,
  c.summary_en, c.audience, c.level, c.language, c.estimated_minutes, c.competencies, c.licence,
  to_char(c.last_reviewed, 'YYYY-MM-DD') AS last_reviewed, c.tags, c.lesson_count, c.published_at`;

interface SummaryRow {
  id: string;
  slug: string;
  status: CourseStatus;
  latest_version_number: number;
  title_vi: string;
  title_en: string;
  summary_vi: string;
  summary_en: string;
  audience: Audience[];
  level: CourseLevel;
  language: string;
  estimated_minutes: number;
  competencies: string[];
  licence: string;
  last_reviewed: string;
  tags: string[];
  lesson_count: number;
  published_at: Date | null;
  sort_key: string | number;
}

function summaryFromRow(r: SummaryRow): CourseSummaryView {
  return {
    slug: r.slug,
    title: { vi: r.title_vi, en: r.title_en },
    summary: { vi: r.summary_vi, en: r.summary_en },
    audience: r.audience,
    level: r.level,
    language: r.language,
    estimatedMinutes: r.estimated_minutes,
    competencies: r.competencies,
    licence: r.licence,
    lastReviewed: r.last_reviewed,
    tags: r.tags,
    lessonCount: r.lesson_count,
    status: r.status,
    version: r.latest_version_number,
    publishedAt: r.published_at,
  };
}

export function isContentEditor(actor: Actor | null | undefined): boolean {
  return !!actor && hasRole(actor, Role.ContentEditor, Role.ProvinceAdmin);
}

/**
 * The catalogue, outlines and lessons. Search ignores accents and case ("dich vu cong" and
 * "DỊCH VỤ CÔNG" find "Dịch vụ công") by matching word prefixes in a diacritic-folded column, and
 * ranks title matches first; pages are keyset cursors, stable while courses are being added.
 */
@Injectable()
export class CatalogueService {
  private readonly outlines = new Lru<OutlineBody>(256);
  private readonly lessons = new Lru<LessonView>(1024);
  private readonly cache = new CatalogueCache();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    // Course writes through this DataSource (import, authoring, publishing) drop the cached pages.
    dataSource.subscribers.push(this.cache);
  }

  /**
   * One hand-written keyset query (the catalogue's hot path; no query builder): browse order is the
   * accent-folded Vietnamese title, search order an integer rank; either way the cursor is the last
   * row's (sort value, id), so rows inserted meanwhile never shift or repeat a page.
   */
  async list(actor: Actor | null, query: CatalogueQuery): Promise<Page<CourseSummaryView>> {
    const status = query.status ?? CourseStatus.Published;
    if (status !== CourseStatus.Published && !isContentEditor(actor)) {
      throw new CoursesException(CoursesExceptionCode.NOT_A_CONTENT_EDITOR, { field: 'status' });
    }
    if (status !== CourseStatus.Published) return this.query(status, query);
    // The published catalogue is the same for everyone: one cache entry per distinct query.
    const key = JSON.stringify([
      query.q ? searchTokens(query.q) : [],
      query.audience ?? [],
      query.level ?? [],
      query.competency ?? [],
      query.language ?? null,
      query.cursor ?? null,
      query.limit,
    ]);
    return this.cache.get(key, () => this.query(status, query));
  }

  /** Drops the cached catalogue pages (a course was changed by other means than this DataSource). */
  invalidateCache(): void {
    this.cache.invalidate();
  }

  private async query(status: CourseStatus, query: CatalogueQuery): Promise<Page<CourseSummaryView>> {
    const params: unknown[] = [];
    const $ = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [`c.status = ${$(status)}`];
    if (query.audience?.length) where.push(`c.audience && ${$(query.audience)}::text[]`);
    if (query.level?.length) where.push(`c.level = ANY(${$(query.level)}::text[])`);
    if (query.language) where.push(`c.language = ${$(query.language)}`);
    if (query.competency?.length) {
      const codes = query.competency.map(competencyWithoutLevel);
      const like = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
      const prefixes = codes.flatMap((c) => [`${like(c)}.%`, `${like(c)}:%`]);
      where.push(
        `EXISTS (SELECT 1 FROM unnest(c.competency_index) AS x
          WHERE x = ANY(${$(codes)}::text[]) OR x LIKE ANY(${$(prefixes)}::text[]))`,
      );
    }

    const tokens = query.q ? searchTokens(query.q) : [];
    let sortKey: string;
    let order: string;
    if (tokens.length === 0) {
      sortKey = 'c.title_sort';
      order = 'c.title_sort ASC, c.id ASC';
      if (query.cursor) {
        const c = this.checkCursor(query.cursor, 'string');
        where.push(`(c.title_sort, c.id) > (${$(c.v)}, ${$(c.id)}::uuid)`);
      }
    } else {
      const tok = tokens.map((t) => $(`\\m${t}`));
      const q = $(tokens.join(' '));
      const phraseRe = $(`\\m${tokens.join('\\s+')}`);
      const prefixRe = $(`^${tokens.join('\\s+')}`);
      const all = (column: string) => tok.map((t) => `${column} ~ ${t}`).join(' AND ');
      // An integer score, so the cursor compares exactly. Only the (short) title is compared by
      // trigram similarity: doing it on the whole search text costs ~10x more per row.
      sortKey = `(CASE WHEN c.title_folded ~ ${prefixRe} THEN 400 ELSE 0 END
        + CASE WHEN c.title_folded ~ ${phraseRe} THEN 1000 ELSE 0 END
        + CASE WHEN c.search_text ~ ${phraseRe} THEN 300 ELSE 0 END
        + CASE WHEN ${all('c.title_folded')} THEN 200 ELSE 0 END
        + ${tok.map((t) => `CASE WHEN c.title_folded ~ ${t} THEN 50 ELSE 0 END`).join(' + ')}
        + round(word_similarity(${q}, c.title_folded) * 300))::int`;
      order = 'sort_key DESC, c.id ASC';
      // every word (as a word prefix) somewhere in the course, or a near miss (typo) in the title
      where.push(`((${all('c.search_text')}) OR word_similarity(${q}, c.title_folded) >= 0.5)`);
      if (query.cursor) {
        const c = this.checkCursor(query.cursor, 'number');
        const rank = $(c.v);
        where.push(`(${sortKey} < ${rank} OR (${sortKey} = ${rank} AND c.id > ${$(c.id)}::uuid))`);
      }
    }
    const rows: SummaryRow[] = await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS}, ${sortKey} AS sort_key FROM course c
        WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${$(query.limit + 1)}`,
      params,
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(summaryFromRow),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ v: last.sort_key, id: last.id }) : null,
    };
  }

  /** A browse cursor carries a title (string), a search cursor a rank (number): they do not mix. */
  private checkCursor(cursor: string, kind: 'string' | 'number'): { v: string | number; id: string } {
    const c = decodeCursor(cursor);
    if (typeof c.v !== kind || !isUuid(c.id)) throw new InvalidCursorError('cursor does not fit this query');
    return c;
  }

  /** The outline of the latest version, or of `versionNumber` (learners keep the version they started). */
  async outline(_actor: Actor | null, slug: string, versionNumber?: number): Promise<CourseOutlineView> {
    const course = await this.publishedCourse(slug);
    const versionId = versionNumber ? await this.versionIdByNumber(course.id, versionNumber) : course.latestVersionId!;
    const body = await this.outlines.get(versionId, () => this.loadOutline(versionId));
    const { courseId: _, ...view } = body;
    return { ...view, status: course.status, latestVersion: course.latestVersionNumber };
  }

  /** The outline of a version by its id (for other libraries: enrollments keep a version id). */
  async outlineByVersionId(_actor: Actor | null, versionId: string): Promise<CourseOutlineView> {
    if (!isUuid(versionId)) throw new CoursesException(CoursesExceptionCode.VERSION_NOT_FOUND);
    const body = await this.outlines.get(versionId, () => this.loadOutline(versionId));
    const course = await this.dataSource
      .getRepository(CourseEntity)
      .findOneOrFail({ where: { id: body.courseId }, select: { id: true, status: true, latestVersionNumber: true } });
    const { courseId: _, ...view } = body;
    return { ...view, status: course.status, latestVersion: course.latestVersionNumber };
  }

  /**
   * A lesson with its blocks. `lessonRef` is a lesson id (any version of this course: learners
   * keep theirs) or a lesson slug (latest version, or `versionNumber`).
   */
  async lesson(_actor: Actor | null, slug: string, lessonRef: string, versionNumber?: number): Promise<LessonView> {
    const course = await this.publishedCourse(slug);
    const lessons = this.dataSource.getRepository(CourseLessonEntity);
    let row: Pick<CourseLessonEntity, 'id' | 'versionId'> | null;
    if (isUuid(lessonRef)) {
      row = await lessons
        .createQueryBuilder('l')
        .select(['l.id', 'l.versionId'])
        .innerJoin(CourseVersionEntity, 'v', 'v.id = l.version_id')
        .where('l.id = :id AND v.course_id = :courseId', { id: lessonRef, courseId: course.id })
        .getOne();
    } else {
      const versionId = versionNumber
        ? await this.versionIdByNumber(course.id, versionNumber)
        : course.latestVersionId!;
      row = await lessons.findOne({ where: { versionId, slug: lessonRef }, select: { id: true, versionId: true } });
    }
    if (!row) throw new CoursesException(CoursesExceptionCode.LESSON_NOT_FOUND);
    const { id, versionId } = row;
    return this.lessons.get(id, () => this.loadLesson(versionId, id));
  }

  async versions(_actor: Actor | null, slug: string): Promise<CourseVersionSummaryView[]> {
    const course = await this.publishedCourse(slug);
    const rows = await this.dataSource.getRepository(CourseVersionEntity).find({
      where: { courseId: course.id },
      select: { id: true, number: true, contentHash: true, createdAt: true, source: true },
      order: { number: 'DESC' },
    });
    return rows.map((v) => ({
      id: v.id,
      number: v.number,
      contentHash: v.contentHash,
      publishedAt: v.createdAt,
      source: v.source,
      current: v.id === course.latestVersionId,
    }));
  }

  /** A course that has at least one published version (archived ones stay readable). */
  private async publishedCourse(
    slug: string,
  ): Promise<Pick<CourseEntity, 'id' | 'slug' | 'status' | 'latestVersionId' | 'latestVersionNumber'>> {
    // The hottest query of the catalogue (every outline and lesson read): plain SQL, no query builder.
    const rows: Array<{
      id: string;
      status: CourseStatus;
      latest_version_id: string | null;
      latest_version_number: number;
    }> = await this.dataSource.query(
      'SELECT id, status, latest_version_id, latest_version_number FROM course WHERE slug = $1',
      [slug],
    );
    const row = rows[0];
    if (!row?.latest_version_id) throw new CoursesException(CoursesExceptionCode.COURSE_NOT_FOUND);
    return {
      id: row.id,
      slug,
      status: row.status,
      latestVersionId: row.latest_version_id,
      latestVersionNumber: row.latest_version_number,
    };
  }

  private async versionIdByNumber(courseId: string, number: number): Promise<string> {
    const v = await this.dataSource
      .getRepository(CourseVersionEntity)
      .findOne({ where: { courseId, number }, select: { id: true } });
    if (!v) throw new CoursesException(CoursesExceptionCode.VERSION_NOT_FOUND, { field: 'version' });
    return v.id;
  }

  private async loadOutline(versionId: string): Promise<OutlineBody> {
    const version = await this.dataSource.getRepository(CourseVersionEntity).findOneBy({ id: versionId });
    if (!version) throw new CoursesException(CoursesExceptionCode.VERSION_NOT_FOUND);
    const rows = await this.dataSource.getRepository(CourseLessonEntity).find({
      where: { versionId },
      select: { id: true, slug: true, position: true },
    });
    const idBySlug = new Map(rows.map((r) => [r.slug, r]));
    const pkg = version.package;
    let position = 0;
    const modules = pkg.modules.map((m, i) => ({
      position: i,
      title: m.title,
      lessons: m.lessons.map(
        (l): OutlineLessonView => ({
          id: idBySlug.get(l.slug)!.id,
          slug: l.slug,
          position: position++,
          title: l.title,
          minutes: l.minutes,
          competencies: l.competencies,
          blockKinds: l.blocks.map((b) => b.kind),
        }),
      ),
    }));
    return {
      courseId: version.courseId,
      slug: pkg.slug,
      title: pkg.title,
      summary: pkg.summary,
      audience: pkg.audience,
      level: pkg.level,
      language: pkg.language,
      estimatedMinutes: pkg.estimatedMinutes,
      competencies: pkg.competencies,
      licence: pkg.licence,
      lastReviewed: pkg.lastReviewed,
      tags: pkg.tags,
      lessonCount: position,
      version: {
        id: version.id,
        number: version.number,
        contentHash: version.contentHash,
        publishedAt: version.createdAt,
      },
      modules,
    };
  }

  private async loadLesson(versionId: string, lessonId: string): Promise<LessonView> {
    const outline = await this.outlines.get(versionId, () => this.loadOutline(versionId));
    const flat = outline.modules.flatMap((m) => m.lessons.map((l) => ({ module: m, lesson: l })));
    const index = flat.findIndex((x) => x.lesson.id === lessonId);
    if (index < 0) throw new CoursesException(CoursesExceptionCode.LESSON_NOT_FOUND);
    const { module, lesson } = flat[index];
    const blocks = await this.dataSource.getRepository(CourseBlockEntity).find({
      where: { lessonId },
      select: { id: true, position: true, data: true },
      order: { position: 'ASC' },
    });
    const ref = (i: number) => {
      const x = flat[i];
      return x ? { id: x.lesson.id, slug: x.lesson.slug, title: x.lesson.title } : null;
    };
    return {
      id: lesson.id,
      slug: lesson.slug,
      position: lesson.position,
      title: lesson.title,
      minutes: lesson.minutes,
      competencies: lesson.competencies,
      course: { slug: outline.slug, title: outline.title },
      version: { id: outline.version.id, number: outline.version.number },
      module: { position: module.position, title: module.title },
      previous: ref(index - 1),
      next: ref(index + 1),
      blocks: blocks.map((b) => ({ id: b.id, position: b.position, block: b.data })),
    };
  }
}
