import type { QueryRunner } from 'typeorm';

/** The tables the generator writes (their foreign keys are verified after a replica-mode load). */
export const SEEDED_TABLES = [
  'org_unit',
  'industrial_park',
  'enterprise',
  'park_enterprise',
  'app_user',
  'user_org_unit_history',
  'worker',
  'trainer_profile',
  'trainer_qualification',
  'cohort',
  'cohort_course',
  'cohort_member',
  'cohort_session',
  'cohort_attendance',
  'enrollment',
  'learning_minutes_daily',
  'training_report',
  'training_session',
  'official_roster',
  'population_stat',
];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * With session_replication_role = replica the per-row foreign-key triggers did not run: check
 * every foreign key of the seeded tables set-based instead (one anti-join each, MATCH SIMPLE: rows
 * with a NULL in the key are not checked). Throws, so the transaction rolls back, on any orphan.
 */
export async function verifyForeignKeys(q: QueryRunner, tables = SEEDED_TABLES): Promise<number> {
  const fks: Array<{ name: string; child: string; parent: string; cols: string[]; refs: string[] }> = await q.query(
    `SELECT c.conname AS name, cl.relname AS child, pl.relname AS parent,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS cols,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS refs
     FROM pg_constraint c
     JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
     JOIN pg_class pl ON pl.oid = c.confrelid
     WHERE c.contype = 'f' AND n.nspname = 'public' AND cl.relname = ANY($1::text[])
     ORDER BY cl.relname, c.conname`,
    [tables],
  );
  const problems: string[] = [];
  for (const fk of fks) {
    const notNull = fk.cols.map((c) => `x.${ident(c)} IS NOT NULL`).join(' AND ');
    const match = fk.cols.map((c, i) => `p.${ident(fk.refs[i])} = x.${ident(c)}`).join(' AND ');
    const [{ orphans }] = await q.query(
      `SELECT count(*)::int AS orphans FROM ${ident(fk.child)} x
       WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${ident(fk.parent)} p WHERE ${match})`,
    );
    if (orphans > 0) problems.push(`${fk.name} (${fk.child} → ${fk.parent}): ${orphans} row(s)`);
  }
  if (problems.length) throw new Error(`seed:demo produced rows that break foreign keys: ${problems.join('; ')}`);
  return fks.length;
}
