import { Injectable } from '@nestjs/common';
import { isUuid } from '@hocso/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EmbedException, EmbedExceptionCode } from '../embed.exception';

export interface MaterialView {
  id: string;
  courseSlug: string;
  lessonId: string;
  lessonTitle: { vi: string; en: string };
  title: string;
  url: string;
  mimeType: string;
  sizeBytes: number;
}

/** Lookups the embed pages and the content API need beyond the catalogue's own. */
@Injectable()
export class EmbedContentService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The published course a lesson (of any of its versions) belongs to. */
  async courseSlugOfLesson(lessonId: string): Promise<string> {
    if (!isUuid(lessonId)) throw new EmbedException(EmbedExceptionCode.LESSON_NOT_FOUND);
    const [row] = await this.ds.query(
      `SELECT c.slug FROM course_lesson l JOIN course_version v ON v.id = l.version_id
         JOIN course c ON c.id = v.course_id WHERE l.id = $1 AND c.status = 'published'`,
      [lessonId],
    );
    if (!row) throw new EmbedException(EmbedExceptionCode.LESSON_NOT_FOUND);
    return row.slug;
  }

  /** Downloadable materials of the latest published versions (one course, or all), in lesson order. */
  async materials(courseSlug?: string): Promise<MaterialView[]> {
    const rows: Array<{
      id: string;
      slug: string;
      lesson_id: string;
      title_vi: string;
      title_en: string;
      data: { title: string; url: string; mimeType: string; sizeBytes: number };
    }> = await this.ds.query(
      `SELECT b.id, c.slug, l.id AS lesson_id, l.title_vi, l.title_en, b.data
         FROM course c JOIN course_lesson l ON l.version_id = c.latest_version_id
         JOIN course_block b ON b.lesson_id = l.id AND b.kind = 'download'
        WHERE c.status = 'published' AND ($1::text IS NULL OR c.slug = $1)
        ORDER BY c.slug, l.position, b.position`,
      [courseSlug ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      courseSlug: r.slug,
      lessonId: r.lesson_id,
      lessonTitle: { vi: r.title_vi, en: r.title_en },
      title: r.data.title,
      url: r.data.url,
      mimeType: r.data.mimeType,
      sizeBytes: r.data.sizeBytes,
    }));
  }
}
