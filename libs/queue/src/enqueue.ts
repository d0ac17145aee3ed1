import { Logger } from '@nestjs/common';
import type { JobName } from './queue-name.enum';
import type { JobOf } from './job-payloads';
import type { QueueService } from './queue.service';
import type { JobsOptions } from 'bullmq';

const logger = new Logger('Queue');

/**
 * Adds a job, giving up after `ms` instead of hanging while the queue backend is unreachable. The
 * rows the job points at are already committed (outbox), and a sweeper re-adds whatever this
 * missed, so a failure here is logged, not thrown.
 */
export async function addJobWithin<N extends JobName>(
  queues: QueueService,
  name: N,
  data: JobOf<N>,
  opts: JobsOptions,
  ms = 3000,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queues.add(name, data, opts),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
      }),
    ]);
    return true;
  } catch (err) {
    logger.warn(`could not add ${name} ${opts.jobId ?? ''}: ${(err as Error).message}; the sweeper will retry`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Many jobs of one kind in one round trip (same rules as addJobWithin). */
export async function addBulkWithin<N extends JobName>(
  queues: QueueService,
  queueName: Parameters<QueueService['queue']>[0],
  name: N,
  jobs: Array<{ data: JobOf<N>; opts: JobsOptions }>,
  ms = 5000,
): Promise<boolean> {
  if (jobs.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queues.queue(queueName).addBulk(jobs.map((j) => ({ name, data: j.data, opts: j.opts }))),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
      }),
    ]);
    return true;
  } catch (err) {
    logger.warn(`could not add ${jobs.length} × ${name}: ${(err as Error).message}; the sweeper will retry`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
