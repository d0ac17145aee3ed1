import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A lesson of one course version; its id stays valid (and readable) after newer versions appear. */
@Entity('course_lesson')
export class CourseLessonEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  versionId: string;

  @Column({ type: 'uuid' })
  moduleId: string;

  /** 0-based, across the whole course */
  @Column({ type: 'int' })
  position: number;

  /** the file name without ".md", e.g. "01-gioi-thieu": stable across versions */
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  titleVi: string;

  @Column({ type: 'text' })
  titleEn: string;

  @Column({ type: 'int' })
  minutes: number;

  @Column({ type: 'text', array: true })
  competencies: string[];
}
