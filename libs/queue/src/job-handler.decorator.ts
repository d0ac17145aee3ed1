import { SetMetadata } from '@nestjs/common';
import type { JobName } from './queue-name.enum';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/**
 * Marks a processor method as the handler of one job. Used only in apps/worker; the job runner
 * refuses to start unless every JobName has exactly one handler.
 */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
