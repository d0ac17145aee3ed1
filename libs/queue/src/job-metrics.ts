import { Counter, Registry } from 'prom-client';

/**
 * Job metrics of this process (a worker, or the api with RUN_WORKER). A registry of its own, so a
 * process that serves /metrics merges it into what it renders (`Registry.merge`).
 */
export const jobMetricsRegistry = new Registry();

/**
 * Jobs that failed for good (no retry left): the alert RELIABILITY RC4 asks for. `reason` is
 * `stalled` (its worker died twice on it), `unrecoverable` (bad input, no retry) or `attempts`
 * (the last retry failed). A failed job stays in the queue's failed set until it is re-driven
 * (`queue:retry-failed`) or ages out (removeOnFail).
 */
export const jobsFailedTotal = new Counter({
  name: 'hocso_jobs_failed_total',
  help: 'Jobs that failed for good (no retry left), by queue, job name and reason',
  labelNames: ['queue', 'name', 'reason'] as const,
  registers: [jobMetricsRegistry],
});

export type JobFailureReason = 'stalled' | 'unrecoverable' | 'attempts';

/** BullMQ's wording for a job failed because its workers died on it more than `maxStalledCount` times. */
export const STALLED_FAILURE = /stalled more than allowable limit/i;
