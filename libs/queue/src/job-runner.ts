import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { type Job, UnrecoverableError, type Worker } from 'bullmq';
import { JOB_HANDLER } from './job-handler.decorator';
import { QUEUE_BACKEND } from './queue.tokens';
import type { QueueBackend } from './queue-backend';
import { JOB_QUEUE, JobName, QueueName } from './queue-name.enum';

type Handler = (data: unknown, job: Job) => Promise<unknown>;

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

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackend,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  collectHandlers(): Map<JobName, Handler> {
    const found = new Map<JobName, Handler>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, proto[method]);
        if (!name) continue;
        if (found.has(name)) throw new MissingJobHandlerError(`job "${name}" has more than one handler`);
        found.set(name, (instance[method] as Handler).bind(instance));
      }
    }
    const missing = Object.values(JobName).filter((n) => !found.has(n));
    if (missing.length) throw new MissingJobHandlerError(`no handler for job(s): ${missing.join(', ')}`);
    return found;
  }

  onApplicationBootstrap() {
    for (const [name, handler] of this.collectHandlers()) this.handlers.set(name, handler);
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
      worker.on('failed', (job, err) =>
        this.logger.warn(`job ${job?.name}#${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`),
      );
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

  /** Runs before the database closes: active jobs finish, then the workers stop. */
  async onModuleDestroy() {
    await Promise.all(this.workers.map((w) => w.close().catch(() => undefined)));
    this.workers.length = 0;
  }
}
