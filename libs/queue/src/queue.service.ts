import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { type JobOf } from './job-payloads';
import { QUEUE_BACKEND } from './queue.tokens';
import { assertNoEviction, type QueueBackend, redisReady } from './queue-backend';
import { JOB_QUEUE, type JobName, QueueName } from './queue-name.enum';

export interface QueueHealth {
  backend: 'redis' | 'postgres';
  ok: boolean;
  error?: string;
  queues: Record<string, { waiting: number; active: number; delayed: number; failed: number } | null>;
}

/**
 * Producer side: typed `add` for every job, plus health. HTTP handlers call it only after the rows
 * the job points at have committed (the outbox rule, DESIGN §2).
 */
@Injectable()
export class QueueService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  /** by physical queue name (several logical queues share one in embedded mode) */
  private readonly queues = new Map<string, Queue>();

  constructor(@Inject(QUEUE_BACKEND) private readonly backend: QueueBackend) {}

  async onModuleInit() {
    if (this.backend.kind === 'redis') {
      const probe = this.backend.redis('producer');
      try {
        await redisReady(probe);
        await probe.ping();
        await assertNoEviction(probe);
      } finally {
        await probe.quit().catch(() => probe.disconnect());
      }
    }
    // Make sure BullMQ's schema exists before anything is added. One queue at a time (a Queue starts
    // connecting as it is constructed): on PostgreSQL each one's first connection runs BullMQ's
    // migrations, and on the embedded PGlite (one multiplexed session) concurrent migration
    // transactions can wait on each other for ever.
    for (const name of Object.values(QueueName)) await this.queue(name).waitUntilReady();
    this.logger.log(`queues ready on ${this.backend.kind}: ${[...this.queues.keys()].join(', ')}`);
  }

  get backendKind() {
    return this.backend.kind;
  }

  /** `listener` runs whenever a Redis connection is back after an outage (never on PostgreSQL). */
  onReconnect(listener: () => void): () => void {
    return this.backend.onReconnect(listener);
  }

  queue(name: QueueName): Queue {
    const physical = this.backend.physicalName(name);
    let q = this.queues.get(physical);
    if (!q) {
      q = this.backend.createQueue(physical);
      q.on('error', (err) => this.logger.warn(`queue ${physical}: ${err.message}`));
      this.queues.set(physical, q);
    }
    return q;
  }

  async add<N extends JobName>(name: N, data: JobOf<N>, opts: JobsOptions = {}) {
    return this.queue(JOB_QUEUE[name]).add(name, data, opts);
  }

  /**
   * Every queue's counts, all at once: each has 2 s, so a silent backend (packets dropped, not
   * refused) makes readiness answer 503 in about 2 s — one after the other, 8 queues took 16 s,
   * longer than a load balancer's health-check timeout (RELIABILITY RC12).
   */
  async health(): Promise<QueueHealth> {
    const result: QueueHealth = { backend: this.backend.kind, ok: true, queues: {} };
    const entries = [...this.queues];
    const counts = await Promise.allSettled(
      entries.map(([, q]) => withTimeout(q.getJobCounts('waiting', 'active', 'delayed', 'failed'), 2000)),
    );
    for (const [i, [name]] of entries.entries()) {
      const c = counts[i];
      if (c.status === 'fulfilled') {
        result.queues[name] = {
          waiting: c.value.waiting ?? 0,
          active: c.value.active ?? 0,
          delayed: c.value.delayed ?? 0,
          failed: c.value.failed ?? 0,
        };
      } else {
        result.ok = false;
        result.error = (c.reason as Error).message;
        result.queues[name] = null;
      }
    }
    return result;
  }

  async onApplicationShutdown() {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
    await this.backend.close();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
