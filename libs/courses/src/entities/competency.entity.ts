import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum CompetencyKind {
  Domain = 'domain',
  Competency = 'competency',
}

/** A domain (miền, dimension) or a competency of one framework version. */
@Entity('competency')
@Index(['frameworkId', 'code'], { unique: true })
export class CompetencyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  frameworkId: string;

  @Column({ type: 'text' })
  kind: CompetencyKind;

  /** full code, e.g. "TT02:1.1", "TT02:1", "UNESCO-CFS:HCM:U" */
  @Column({ type: 'text' })
  code: string;

  /** code inside the framework, e.g. "1.1" */
  @Column({ type: 'text' })
  localCode: string;

  /** the domain's full code, for competencies */
  @Column({ type: 'text', nullable: true })
  parentCode: string | null;

  @Column({ type: 'text' })
  nameVi: string;

  @Column({ type: 'text' })
  nameEn: string;

  @Column({ type: 'int' })
  position: number;

  /** digcomp reference, UNESCO level, TT02 crosswalk … as written in the framework file */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  attributes: Record<string, unknown>;
}
