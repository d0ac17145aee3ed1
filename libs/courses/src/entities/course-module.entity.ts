import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A module of one course version. */
@Entity('course_module')
export class CourseModuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  versionId: string;

  /** 0-based, in the course */
  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  titleVi: string;

  @Column({ type: 'text' })
  titleEn: string;
}
