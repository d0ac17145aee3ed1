import type { Lang } from '../../i18n';

/** The API shapes the learner pages read (see apps/api/src/courses/dto and learning/dto). */
export type Localized = Record<Lang, string>;

export interface CourseSummary {
  slug: string;
  title: Localized;
  summary: Localized;
  audience: string[];
  level: string;
  estimatedMinutes: number;
  competencies: string[];
  lessonCount: number;
  lastReviewed: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface OutlineLesson {
  id: string;
  slug: string;
  position: number;
  title: Localized;
  minutes: number;
  blockKinds: string[];
}

export interface CourseOutline extends CourseSummary {
  licence: string;
  modules: Array<{ position: number; title: Localized; lessons: OutlineLesson[] }>;
}

export interface Enrollment {
  id: string;
  courseSlug: string;
  status: 'active' | 'completed';
  enrolledAt: string;
  completedAt: string | null;
  lessonsCompleted: number;
  lessonsTotal: number;
  progressPercent: number;
  minutes: number;
  resumeLessonId: string | null;
  lastActivityAt: string | null;
}

export interface Choice {
  id: string;
  text: string;
}

export interface QuizQuestion {
  id: string;
  type: 'single' | 'multiple' | 'truefalse' | 'ordering';
  prompt: string;
  options?: Choice[];
  items?: Choice[];
}

export interface QuizBlock {
  kind: 'quiz';
  id: string;
  quizId: string;
  title?: string;
  passMark: number;
  questionCount: number;
  questions: QuizQuestion[];
}

export type Block =
  | { kind: 'text'; id: string; markdown: string }
  | QuizBlock
  | {
      kind: 'practice';
      id: string;
      practiceId: string;
      title: string;
      scenario?: string;
      steps: string[];
      checklist: string[];
    }
  | {
      kind: 'video';
      id: string;
      title?: string;
      url: string;
      durationSeconds: number;
      captions: Array<{ lang: string; url: string; label?: string }>;
      transcript?: string;
    }
  | { kind: 'image'; id: string; src: string; alt: string; caption?: string }
  | { kind: 'download'; id: string; title: string; url: string; mimeType: string; sizeBytes: number };

export interface LessonRef {
  id: string;
  slug: string;
  title: Localized;
}

export interface Lesson {
  id: string;
  slug: string;
  position: number;
  title: Localized;
  minutes: number;
  course: { slug: string; title: Localized };
  module: { position: number; title: Localized };
  previous: LessonRef | null;
  next: LessonRef | null;
  blocks: Block[];
}

export interface AttemptResult {
  attemptId: string;
  attemptNumber: number;
  score: number;
  passed: boolean;
  passMark: number;
  courseCompleted: boolean;
  questions: Array<{ questionId: string; correct: boolean; explanation: string }>;
}

export interface Certificate {
  id: string;
  kind: string;
  title: Localized;
  holderName: string;
  status: 'active' | 'revoked' | 'expired';
  hours: number | null;
  level: string | null;
  validFrom: string | null;
  validUntil: string | null;
  revokedAt: string | null;
  verifyUrl: string;
  pdfUrl: string;
}
