import { SetMetadata } from '@nestjs/common';
import type { JobName } from './queue-name.enum';

export const JOB_HANDLER = Symbol('JOB_HANDLER');
export const JOB_FAILED_HANDLER = Symbol('JOB_FAILED_HANDLER');

/**
 * Marks a processor method as the handler of one job. Used only in apps/worker; the job runner
 * refuses to start unless every JobName has exactly one handler.
 */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);

/**
 * Marks a processor method that runs once a job of this name has failed for good — including a
 * job failed because its workers died on it (stalled more than allowed), which never reaches the
 * job handler's own catch. Signature: `(data, job, reason: JobFailureReason) => Promise<void>`.
 * It must be idempotent: a hook that throws is logged, not retried.
 */
export const OnJobFailed = (name: JobName) => SetMetadata(JOB_FAILED_HANDLER, name);
