import { Injectable } from '@nestjs/common';
import { isUuid } from '@hocso/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface PickerLesson {
  id: string;
  title: { vi: string; en: string };
}

export interface PickerCourse {
  slug: string;
  title: { vi: string; en: string };
  summary: { vi: string; en: string };
  lessons: PickerLesson[];
}

/** A deep-linking choice: a whole course or one lesson of a course's latest published version. */
export type PickerItem =
  | { kind: 'course'; slug: string; title: { vi: string; en: string }; summary: { vi: string; en: string } }
  | { kind: 'lesson'; lessonId: string; slug: string; title: { vi: string; en: string }; courseTitle: { vi: string } };

const MAX_COURSES = 1000;

/** What instructors may place in their LMS: published courses and the lessons of their latest version. */
@Injectable()
export class LtiCatalogue {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async courses(): Promise<PickerCourse[]> {
    const rows: Array<{
      slug: string;
      title_vi: string;
      title_en: string;
      summary_vi: string;
      summary_en: string;
      lesson_id: string | null;
      lesson_vi: string | null;
      lesson_en: string | null;
    }> = await this.ds.query(
      `SELECT c.slug, c.title_vi, c.title_en, c.summary_vi, c.summary_en,
              l.id AS lesson_id, l.title_vi AS lesson_vi, l.title_en AS lesson_en
         FROM (SELECT * FROM course WHERE status = 'published' AND latest_version_id IS NOT NULL
                ORDER BY title_sort, slug LIMIT ${MAX_COURSES}) c
         LEFT JOIN course_lesson l ON l.version_id = c.latest_version_id
        ORDER BY c.title_sort, c.slug, l.position`,
    );
    const bySlug = new Map<string, PickerCourse>();
    for (const r of rows) {
      let course = bySlug.get(r.slug);
      if (!course) {
        course = {
          slug: r.slug,
          title: { vi: r.title_vi, en: r.title_en },
          summary: { vi: r.summary_vi, en: r.summary_en },
          lessons: [],
        };
        bySlug.set(r.slug, course);
      }
      if (r.lesson_id)
        course.lessons.push({ id: r.lesson_id, title: { vi: r.lesson_vi ?? '', en: r.lesson_en ?? '' } });
    }
    return [...bySlug.values()];
  }

  /** `course:<slug>` / `lesson:<uuid>` → the published item, or null. */
  async item(ref: string): Promise<PickerItem | null> {
    const m = /^(course|lesson):(.{1,200})$/.exec(ref);
    if (!m) return null;
    if (m[1] === 'course') {
      const [c] = await this.ds.query(
        `SELECT slug, title_vi, title_en, summary_vi, summary_en FROM course
          WHERE slug = $1 AND status = 'published' AND latest_version_id IS NOT NULL`,
        [m[2]],
      );
      return c
        ? {
            kind: 'course',
            slug: c.slug,
            title: { vi: c.title_vi, en: c.title_en },
            summary: { vi: c.summary_vi, en: c.summary_en },
          }
        : null;
    }
    if (!isUuid(m[2])) return null;
    const [l] = await this.ds.query(
      `SELECT l.id, l.title_vi, l.title_en, c.slug, c.title_vi AS course_vi FROM course_lesson l
         JOIN course c ON c.latest_version_id = l.version_id
        WHERE l.id = $1 AND c.status = 'published'`,
      [m[2]],
    );
    return l
      ? {
          kind: 'lesson',
          lessonId: l.id,
          slug: l.slug,
          title: { vi: l.title_vi, en: l.title_en },
          courseTitle: { vi: l.course_vi },
        }
      : null;
  }
}
