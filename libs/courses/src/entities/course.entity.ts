import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '@hocso/database';
import type { Audience, CourseLevel, CoursePackage } from '../package/package.types';

export enum CourseStatus {
  Draft = 'draft',
  Published = 'published',
  Archived = 'archived',
}

export enum CourseSource {
  Import = 'import',
  Authoring = 'authoring',
}

/**
 * A course in the library. The catalogue columns (title … searchText) describe the latest
 * published version (or the first draft, until one is published); the content itself lives in
 * immutable course_version rows. `draft` holds the JSON form an editor is working on.
 */
@Entity('course')
export class CourseEntity extends BaseEntity {
  @Index({ unique: true })
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  status: CourseStatus;

  @Column({ type: 'text' })
  source: CourseSource;

  @Column({ type: 'uuid', nullable: true })
  latestVersionId: string | null;

  @Column({ type: 'int', default: 0 })
  latestVersionNumber: number;

  @Column({ type: 'text' })
  titleVi: string;

  @Column({ type: 'text' })
  titleEn: string;

  @Column({ type: 'text' })
  summaryVi: string;

  @Column({ type: 'text' })
  summaryEn: string;

  @Column({ type: 'text', array: true })
  audience: Audience[];

  @Column({ type: 'text' })
  level: CourseLevel;

  @Column({ type: 'text' })
  language: string;

  @Column({ type: 'int' })
  estimatedMinutes: number;

  /** the codes the course declares */
  @Column({ type: 'text', array: true })
  competencies: string[];

  /** course and lesson codes, without "@level": what the competency filter matches */
  @Column({ type: 'text', array: true })
  competencyIndex: string[];

  @Column({ type: 'text' })
  licence: string;

  @Column({ type: 'date' })
  lastReviewed: string;

  @Column({ type: 'text', array: true })
  tags: string[];

  @Column({ type: 'int' })
  lessonCount: number;

  /** foldDiacritics(title.vi): browse order */
  @Column({ type: 'text' })
  titleSort: string;

  /** foldDiacritics(title.vi + title.en): ranking */
  @Column({ type: 'text' })
  titleFolded: string;

  /** foldDiacritics of titles, summaries, tags and lesson titles: what search matches */
  @Column({ type: 'text' })
  searchText: string;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  draft: CoursePackage | null;

  @Column({ type: 'text', nullable: true })
  draftHash: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  draftUpdatedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'uuid', nullable: true })
  updatedBy: string | null;
}
