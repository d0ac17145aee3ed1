import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { type Job, UnrecoverableError, type Worker } from 'bullmq';
import { JOB_FAILED_HANDLER, JOB_HANDLER } from './job-handler.decorator';
import { type JobFailureReason, jobsFailedTotal, STALLED_FAILURE } from './job-metrics';
import { QUEUE_BACKEND } from './queue.tokens';
import type { QueueBackend } from './queue-backend';
import { JOB_QUEUE, JobName, QueueName } from './queue-name.enum';

type Handler = (data: unknown, job: Job) => Promise<unknown>;
type FailedHandler = (data: unknown, job: Job, reason: JobFailureReason) => Promise<unknown>;

/**
 * Whether a `failed` event is the end of the job (no retry follows), and why. BullMQ fails a job
 * its workers died on more than `maxStalledCount` times (default 1) with an UnrecoverableError
 * "job stalled more than allowable limit" when the next worker picks it up; the job's own handler
 * never runs, so only this listener can tell the job's owner.
 */
export function finalFailure(job: Job, err: Error): JobFailureReason | undefined {
  if (STALLED_FAILURE.test(err.message)) return 'stalled';
  if (err instanceof UnrecoverableError || err.name === 'UnrecoverableError') return 'unrecoverable';
  if (job.attemptsMade >= (job.opts.attempts ?? 1)) return 'attempts';
  return undefined;
}

export class MissingJobHandlerError extends Error {}

/**
 * Finds every @JobHandler method, checks the catalogue is complete, and runs one BullMQ Worker per
 * queue. Shutdown closes the workers gracefully: active jobs finish, nothing new is taken.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobRunner.name);
  private readonly workers: Worker[] = [];
  private readonly handlers = new Map<JobName, Handler>();
  private readonly failedHandlers = new Map<JobName, FailedHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackend,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  collectHandlers(): Map<JobName, Handler> {
    const found = this.collect<Handler>(JOB_HANDLER);
    const missing = Object.values(JobName).filter((n) => !found.has(n));
    if (missing.length) throw new MissingJobHandlerError(`no handler for job(s): ${missing.join(', ')}`);
    return found;
  }

  private collect<H>(key: symbol): Map<JobName, H> {
    const found = new Map<JobName, H>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const name = this.reflector.get<JobName | undefined>(key, proto[method]);
        if (!name) continue;
        if (found.has(name)) throw new MissingJobHandlerError(`job "${name}" has more than one handler`);
        found.set(name, (instance[method] as (...args: unknown[]) => unknown).bind(instance) as H);
      }
    }
    return found;
  }

  onApplicationBootstrap() {
    for (const [name, handler] of this.collectHandlers()) this.handlers.set(name, handler);
    for (const [name, handler] of this.collect<FailedHandler>(JOB_FAILED_HANDLER))
      this.failedHandlers.set(name, handler);
    const physical = [...new Set(Object.values(QueueName).map((q) => this.backend.physicalName(q)))];
    // A worker that dies mid-job holds its job for about lockDuration + stalledInterval before
    // another takes it (WORKER_LOCK_DURATION_MS, WORKER_STALLED_INTERVAL_MS; 30 s each by default).
    const tuning = this.config.worker;
    for (const queue of physical) {
      const worker = this.backend.createWorker(queue, (job) => this.dispatch(job), {
        concurrency: this.config.worker.concurrency,
        lockDuration: tuning.lockDurationMs,
        stalledInterval: tuning.stalledIntervalMs,
      });
      worker.on('failed', (job, err) => {
        if (job) void this.onFailed(job, err);
        else this.logger.warn(`job failed on ${queue}: ${err.message}`);
      });
      worker.on('error', (err) => this.logger.warn(`worker ${queue}: ${err.message}`));
      this.workers.push(worker);
    }
    this.logger.log(`workers started on ${this.backend.kind}: ${physical.join(', ')}`);
  }

  private async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler || this.backend.physicalName(JOB_QUEUE[job.name as JobName]) !== job.queueName) {
      throw new UnrecoverableError(`no handler for job "${job.name}" on queue "${job.queueName}"`);
    }
    return handler(job.data, job);
  }

  /**
   * A retry follows: a plain warning. Failed for good: the alert (a structured `job.failed` warning
   * and hocso_jobs_failed_total), then the job's @OnJobFailed hook, so the thing the job was for
   * (a training report) does not stay "processing" for ever. The job stays in the failed set, to be
   * re-driven with `queue:retry-failed`.
   */
  private async onFailed(job: Job, err: Error) {
    const reason = finalFailure(job, err);
    if (!reason) {
      this.logger.warn(`job ${job.name}#${job.id} failed (attempt ${job.attemptsMade}), will retry: ${err.message}`);
      return;
    }
    jobsFailedTotal.labels(job.queueName, job.name, reason).inc();
    this.logger.warn({
      event: 'job.failed',
      queue: job.queueName,
      name: job.name,
      jobId: job.id,
      reason,
      attemptsMade: job.attemptsMade,
      stalledCounter: job.stalledCounter,
      error: err.message.slice(0, 500),
    });
    const hook = this.failedHandlers.get(job.name as JobName);
    if (!hook) return;
    try {
      await hook(job.data, job, reason);
    } catch (hookErr) {
      this.logger.error(`job ${job.name}#${job.id}: failure hook threw: ${(hookErr as Error).message}`);
    }
  }

  /** Runs before the database closes: active jobs finish, then the workers stop. */
  async onModuleDestroy() {
    await Promise.all(this.workers.map((w) => w.close().catch(() => undefined)));
    this.workers.length = 0;
  }
}
