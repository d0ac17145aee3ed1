import type { EntityManager } from 'typeorm';

/** Namespace of learning's advisory locks (pg_advisory_xact_lock(int, int)). */
const LEARNING_LOCK_NAMESPACE = 4_201;

/** Serialises one learner's writes (progress batches, quiz attempts) for the transaction. */
export async function lockUser(em: EntityManager, userId: string): Promise<void> {
  await em.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LEARNING_LOCK_NAMESPACE, userId]);
}
