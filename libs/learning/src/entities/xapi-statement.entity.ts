import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An xAPI 2.0 statement kept for export (the embedding feature serves and forwards them). */
@Entity('xapi_statement')
export class XapiStatementEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  verb: string;

  @Column({ type: 'timestamptz', precision: 3 })
  timestamp: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  stored: Date;

  @Column({ type: 'jsonb' })
  statement: Record<string, unknown>;
}
