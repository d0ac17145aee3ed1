import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Block, BlockKind } from '../package/package.types';

/**
 * A block of a lesson, as authored — quiz answer keys and explanations included. They never leave
 * the server: the api's lesson mapper copies only the fields learners may see.
 */
@Entity('course_block')
export class CourseBlockEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  versionId: string;

  @Column({ type: 'uuid' })
  lessonId: string;

  /** 0-based, in the lesson */
  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  kind: BlockKind;

  /** quiz and practice ids (unique in a version); null for other kinds */
  @Column({ type: 'text', nullable: true })
  key: string | null;

  @Column({ type: 'jsonb' })
  data: Block;
}
