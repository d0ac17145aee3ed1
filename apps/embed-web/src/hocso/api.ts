import type { Lang } from './env';
import type { Localized } from './i18n';

/**
 * The public content API (anonymous, CORS-allowed for registered integrator origins). Shapes as
 * served by `GET /v1/content/courses` and `GET /v1/content/courses/{slug}` — only the fields the
 * components read.
 */
export const CONTENT_PATH = '/v1/content/courses';

export interface CourseSummary {
  slug: string;
  title: Localized;
  summary: Localized;
  level: string;
  estimatedMinutes: number;
  lessonCount: number;
}

export interface CoursePage {
  items: CourseSummary[];
  nextCursor: string | null;
}

export interface OutlineLesson {
  id: string;
  slug: string;
  title: Localized;
  minutes: number;
}

export interface CourseOutline extends CourseSummary {
  modules: Array<{ position: number; title: Localized; lessons: OutlineLesson[] }>;
}

export class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/**
 * A CORS "simple" GET (Accept and Accept-Language only, no credentials), so no preflight and no
 * cookies ever go to Hocso from the integrator's page.
 */
export async function getJson<T>(url: string, lang: Lang, signal: AbortSignal): Promise<T> {
  const res = await fetch(url, {
    headers: { Accept: 'application/json', 'Accept-Language': lang },
    credentials: 'omit',
    mode: 'cors',
    signal,
  });
  if (!res.ok) throw new HttpError(res.status);
  return (await res.json()) as T;
}

export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const LESSON_ID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
