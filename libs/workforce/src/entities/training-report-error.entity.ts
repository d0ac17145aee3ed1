import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RowErrorCode } from '../workforce.exception';

/** A rejected row: its number (JSON: 1-based index; CSV: spreadsheet row, header = 1), field, reason. */
@Entity('training_report_error')
export class TrainingReportErrorEntity {
  @PrimaryColumn({ type: 'uuid' })
  reportId: string;

  @PrimaryColumn({ type: 'int' })
  rowNumber: number;

  @PrimaryColumn({ type: 'text' })
  field: string;

  @Column({ type: 'text' })
  code: RowErrorCode;

  /** the offending value, cut to 100 characters */
  @Column({ type: 'text', nullable: true })
  value: string | null;
}
