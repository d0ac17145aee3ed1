import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * training_report.seq: the order in which reports were accepted. A session row keeps the minutes of
 * the report submitted last, whichever is processed last — a correction sent after a large report
 * (or a failed report re-driven later) is no longer overwritten by the older figures (RC13).
 * Existing reports are numbered in the order PostgreSQL reads them; they have all been processed.
 */
export class TrainingReportSequence1795779200000 implements MigrationInterface {
  name = 'TrainingReportSequence1795779200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "training_report" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "training_report" DROP COLUMN "seq"`);
  }
}
