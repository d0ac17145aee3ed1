import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes found by the benchmarks (issue 11, bench/README.md):
 *  - progress_event (user_id, occurred_at): each progress batch reads the learner's events in a
 *    short time window (a heartbeat's claim never reaches back past the previous event). Only the
 *    primary key (user_id, event_id) served it, so every batch read the learner's whole history —
 *    a cost that grew with every event the learner ever sent.
 */
export class PerformanceIndexes1795779100000 implements MigrationInterface {
  name = 'PerformanceIndexes1795779100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_progress_event_user_time" ON "progress_event" ("user_id", "occurred_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_progress_event_user_time"`);
  }
}
