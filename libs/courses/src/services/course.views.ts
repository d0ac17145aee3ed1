import type { LocalizedText } from '@hocso/common';
import type { CourseStatus } from '../entities/course.entity';
import type { Audience, Block, BlockKind, CourseLevel, CoursePackage } from '../package/package.types';

/**
 * What the courses library hands to its callers. Lesson views carry the blocks as authored —
 * answer keys included, for the graders in this process — so the api maps them to its public DTOs
 * field by field and never serialises a view as it is.
 */

export interface CourseSummaryView {
  slug: string;
  title: LocalizedText;
  summary: LocalizedText;
  audience: Audience[];
  level: CourseLevel;
  language: string;
  estimatedMinutes: number;
  competencies: string[];
  licence: string;
  lastReviewed: string;
  tags: string[];
  lessonCount: number;
  status: CourseStatus;
  /** latest published version number (0 = never published) */
  version: number;
  publishedAt: Date | null;
}

export interface VersionRef {
  id: string;
  number: number;
  contentHash: string;
  publishedAt: Date;
}

export interface OutlineLessonView {
  id: string;
  slug: string;
  position: number;
  title: LocalizedText;
  minutes: number;
  competencies: string[];
  /** the kinds of blocks, in order (the outline shows icons; it never shows quiz content) */
  blockKinds: BlockKind[];
}

export interface CourseOutlineView extends Omit<CourseSummaryView, 'version' | 'publishedAt' | 'status'> {
  status: CourseStatus;
  version: VersionRef;
  latestVersion: number;
  modules: Array<{ position: number; title: LocalizedText; lessons: OutlineLessonView[] }>;
}

export interface LessonView {
  id: string;
  slug: string;
  position: number;
  title: LocalizedText;
  minutes: number;
  competencies: string[];
  course: { slug: string; title: LocalizedText };
  version: { id: string; number: number };
  module: { position: number; title: LocalizedText };
  previous: { id: string; slug: string; title: LocalizedText } | null;
  next: { id: string; slug: string; title: LocalizedText } | null;
  /** as authored, answer keys included — map before sending */
  blocks: Array<{ id: string; position: number; block: Block }>;
}

export interface CourseVersionSummaryView {
  id: string;
  number: number;
  contentHash: string;
  publishedAt: Date;
  source: string;
  current: boolean;
}

export interface CourseDraftView {
  slug: string;
  status: CourseStatus;
  /** the package being edited (null when there is no pending draft) */
  draft: CoursePackage | null;
  draftHash: string | null;
  draftUpdatedAt: Date | null;
  latestVersion: { number: number; contentHash: string } | null;
}

export interface PublishResultView {
  slug: string;
  status: CourseStatus;
  version: VersionRef;
  /** false when the draft equalled the latest version (nothing new was created) */
  created: boolean;
}
