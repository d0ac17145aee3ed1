import type { Lang } from './env';

/** Text the API sends in both languages. Older or partial records may carry a plain string. */
export type Localized = { vi?: string; en?: string } | string | null | undefined;

export function pick(text: Localized, lang: Lang): string {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[lang] || text.vi || text.en || '';
}

const LEVELS: Record<string, [string, string]> = {
  CB: ['Cơ bản', 'Basic'],
  TC: ['Trung cấp', 'Intermediate'],
  NC: ['Nâng cao', 'Advanced'],
  CS: ['Chuyên sâu', 'Specialised'],
};

/** Circular 02/2025 bậc: "CB1" → "Cơ bản 1" / "Basic 1". */
export function levelLabel(level: string, lang: Lang): string {
  const m = /^([A-Z]{2})(\d)$/.exec(level ?? '');
  const names = m ? LEVELS[m[1]] : undefined;
  return names && m ? `${names[lang === 'en' ? 1 : 0]} ${m[2]}` : level;
}

const vi = {
  loading: 'Đang tải…',
  loadFailed: 'Không tải được nội dung. Vui lòng kiểm tra kết nối mạng.',
  notFound: 'Không tìm thấy khóa học này.',
  badAttribute: (name: string) => `Thuộc tính “${name}” bị thiếu hoặc không hợp lệ.`,
  retry: 'Thử lại',
  empty: 'Chưa có khóa học phù hợp.',
  minutes: (n: number) => `≈ ${n} phút`,
  lessons: (n: number) => `${n} bài học`,
  level: 'Bậc',
  start: 'Bắt đầu học',
  outline: 'Nội dung khóa học',
  allCourses: 'Tất cả khóa học',
  backToOutline: 'Quay lại nội dung khóa học',
  courseFrame: (title: string) => `Khóa học: ${title} — Học Số`,
  lessonFrame: (title: string) => (title ? `Bài học: ${title} — Học Số` : 'Bài học trên Học Số'),
  poweredBy: 'Học Số — kỹ năng số cho mọi người',
};

const en: typeof vi = {
  loading: 'Loading…',
  loadFailed: 'Could not load the content. Please check your connection.',
  notFound: 'This course was not found.',
  badAttribute: (name: string) => `The “${name}” attribute is missing or invalid.`,
  retry: 'Try again',
  empty: 'No matching courses yet.',
  minutes: (n: number) => `≈ ${n} min`,
  lessons: (n: number) => (n === 1 ? '1 lesson' : `${n} lessons`),
  level: 'Level',
  start: 'Start learning',
  outline: 'Course content',
  allCourses: 'All courses',
  backToOutline: 'Back to the course content',
  courseFrame: (title: string) => `Course: ${title} — Hocso`,
  lessonFrame: (title: string) => (title ? `Lesson: ${title} — Hocso` : 'A lesson on Hocso'),
  poweredBy: 'Học Số — digital skills for everyone',
};

export type Strings = typeof vi;

export function strings(lang: Lang): Strings {
  return lang === 'en' ? en : vi;
}
