import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '@hocso/database';

export enum OrgUnitKind {
  Province = 'province',
  Ward = 'ward',
  Commune = 'commune',
  Agency = 'agency',
  School = 'school',
  CommunityTeam = 'community_team',
  IndustrialPark = 'industrial_park',
  Enterprise = 'enterprise',
  Integrator = 'integrator',
}

@Entity('org_unit')
export class OrgUnitEntity extends BaseEntity {
  @Column({ type: 'text' })
  kind: OrgUnitKind;

  @Index({ unique: true })
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  /** "/<root id>/…/<own id>/": a subtree is every unit whose path starts with its root's path. */
  @Column({ type: 'text' })
  path: string;
}
