/** Every BullMQ queue Hocso uses (DESIGN §6). Values are the queue names on the backend. */
export enum QueueName {
  Maintenance = 'maintenance',
}

/** Every job name; each belongs to exactly one queue and has exactly one handler in apps/worker. */
export enum JobName {
  /** Delete expired idempotency keys, refresh tokens and spent rate-limit rows. */
  PurgeExpired = 'purge-expired',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.PurgeExpired]: QueueName.Maintenance,
};
