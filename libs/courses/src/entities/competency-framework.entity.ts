import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '@hocso/database';

/** One version of a competency framework (TT02 2025, UNESCO-CFS 2024 …), loaded from content/frameworks. */
@Entity('competency_framework')
@Index(['code', 'version'], { unique: true })
export class CompetencyFrameworkEntity extends BaseEntity {
  /** "TT02", "UNESCO-CFS": the prefix of competency codes */
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  version: string;

  @Column({ type: 'text' })
  nameVi: string;

  @Column({ type: 'text' })
  nameEn: string;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  /** `[{ code, step, name: { vi, en }, attributes }]`, lowest first */
  @Column({ type: 'jsonb' })
  levels: Array<{ code: string; step: number; name: { vi: string; en: string }; attributes: Record<string, unknown> }>;

  /** the newest loaded version of this code: course competency codes resolve against it */
  @Column({ type: 'boolean', default: false })
  isCurrent: boolean;

  @Column({ type: 'text' })
  contentHash: string;
}
