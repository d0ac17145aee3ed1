import type { LocalizedText } from '@hocso/common';

/**
 * The JSON form of a course package: what `content/courses/<slug>/` becomes once read, what the
 * authoring API accepts, and what a course version stores (content/schema/course-package.schema.json
 * describes the same shape).
 */

export const AUDIENCES = ['citizen', 'official', 'worker', 'trainer', 'student'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Circular 02/2025/TT-BGDĐT bậc, lowest first. */
export const COURSE_LEVELS = ['CB1', 'CB2', 'TC1', 'TC2', 'NC1', 'NC2', 'CS1', 'CS2'] as const;
export type CourseLevel = (typeof COURSE_LEVELS)[number];

export const BLOCK_KINDS = ['text', 'quiz', 'practice', 'video', 'image', 'download'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];
/** Block kinds written as fenced blocks in lesson files (text is the Markdown around them). */
export const FENCED_BLOCK_KINDS: readonly BlockKind[] = ['quiz', 'practice', 'video', 'image', 'download'];

export const QUESTION_TYPES = ['single', 'multiple', 'truefalse', 'ordering'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export interface CoursePackage {
  slug: string;
  title: LocalizedText;
  summary: LocalizedText;
  audience: Audience[];
  level: CourseLevel;
  language: string;
  estimatedMinutes: number;
  competencies: string[];
  licence: string;
  /** YYYY-MM-DD */
  lastReviewed: string;
  tags: string[];
  /**
   * Training-of-trainers courses: finishing a ToT cohort also needs a supervised practicum (the
   * trainee teaches a cohort of their own) approved by the cohort's lead trainer.
   */
  practicumRequired?: boolean;
  modules: ModulePackage[];
}

export interface ModulePackage {
  title: LocalizedText;
  lessons: LessonPackage[];
}

export interface LessonPackage {
  /** file name without ".md", e.g. "01-gioi-thieu"; unique in the course */
  slug: string;
  title: LocalizedText;
  minutes: number;
  competencies: string[];
  blocks: Block[];
}

export interface TextBlock {
  kind: 'text';
  markdown: string;
}

export interface QuizOption {
  text: string;
  correct: boolean;
}

interface QuestionBase {
  id: string;
  prompt: string;
  explanation: string;
}

export interface SingleChoiceQuestion extends QuestionBase {
  type: 'single';
  options: QuizOption[];
}

export interface MultipleChoiceQuestion extends QuestionBase {
  type: 'multiple';
  options: QuizOption[];
}

export interface TrueFalseQuestion extends QuestionBase {
  type: 'truefalse';
  answer: boolean;
}

export interface OrderingQuestion extends QuestionBase {
  type: 'ordering';
  /** in the correct order; learners see them shuffled */
  items: string[];
}

export type Question = SingleChoiceQuestion | MultipleChoiceQuestion | TrueFalseQuestion | OrderingQuestion;

export interface QuizBlock {
  kind: 'quiz';
  id: string;
  title?: string;
  /** share of points needed to pass, 0 < passMark ≤ 1 */
  passMark: number;
  /** attempts allowed per learner (absent: unlimited) */
  maxAttempts?: number;
  /** minutes a learner waits between attempts (absent: none) */
  cooldownMinutes?: number;
  questions: Question[];
}

export interface PracticeBlock {
  kind: 'practice';
  id: string;
  title: string;
  scenario?: string;
  steps: string[];
  checklist: string[];
}

export interface CaptionTrack {
  lang: string;
  url: string;
  label?: string;
}

export interface VideoBlock {
  kind: 'video';
  title?: string;
  url: string;
  durationSeconds: number;
  captions: CaptionTrack[];
  transcript?: string;
}

export interface ImageBlock {
  kind: 'image';
  src: string;
  alt: string;
  caption?: string;
}

export interface DownloadBlock {
  kind: 'download';
  title: string;
  url: string;
  mimeType: string;
  sizeBytes: number;
}

export type Block = TextBlock | QuizBlock | PracticeBlock | VideoBlock | ImageBlock | DownloadBlock;

/** The identifier a block carries in a course (quiz and practice ids), or null. */
export function blockKey(block: Block): string | null {
  return block.kind === 'quiz' || block.kind === 'practice' ? block.id : null;
}
