import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CoursePackage } from '../package/package.types';
import { CourseSource } from './course.entity';

/**
 * An immutable published snapshot of a course (a database trigger refuses updates). Learners who
 * started a version keep reading it by id; new enrollments get the course's latest version.
 */
@Entity('course_version')
@Index(['courseId', 'number'], { unique: true })
export class CourseVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'uuid' })
  courseId: string;

  /** 1, 2, 3 … per course */
  @Column({ type: 'int' })
  number: number;

  /** "sha256:<hex>" of the canonical JSON of `package` */
  @Column({ type: 'text' })
  contentHash: string;

  /** the full validated package (JSON form), answer keys included */
  @Column({ type: 'jsonb' })
  package: CoursePackage;

  @Column({ type: 'text' })
  source: CourseSource;

  @Column({ type: 'uuid', nullable: true })
  publishedBy: string | null;
}
