import { Logger } from '@nestjs/common';
import {
  type DefaultJobOptions,
  Queue,
  type QueueOptions,
  Worker,
  type WorkerOptions,
  withBackend,
  type Processor,
} from 'bullmq';
import { Redis } from 'ioredis';

export type QueueBackendKind = 'redis' | 'postgres';

export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.2 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

export class RedisPolicyError extends Error {}

/** The one physical queue of embedded mode. */
export const EMBEDDED_QUEUE = 'hocso';

/** Resolves when an ioredis client is ready, rejects after `ms` (producers have no offline queue). */
export function redisReady(redis: Redis, ms = 5000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis did not become ready within ${ms} ms`));
    }, ms);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

/**
 * BullMQ silently loses jobs when Redis evicts keys: refuse any maxmemory-policy other than
 * noeviction. A server that forbids CONFIG (some managed services) is let through with a warning.
 */
export async function assertNoEviction(redis: Pick<Redis, 'config'>): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown as string[];
    policy = reply?.[1];
  } catch (err) {
    new Logger('Queue').warn(
      `cannot read Redis maxmemory-policy (${(err as Error).message}); make sure it is noeviction`,
    );
    return;
  }
  if (policy !== undefined && policy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" (set maxmemory-policy noeviction)`,
    );
  }
}

/**
 * Builds BullMQ Queue and Worker instances on the configured backend: Redis when REDIS_URL is set,
 * otherwise BullMQ's PostgreSQL backend on the application database (its own `bullmq` schema).
 */
export class QueueBackend {
  private readonly redisClients: Redis[] = [];
  private readonly reconnectListeners = new Set<() => void>();
  // biome-ignore lint/suspicious/noExplicitAny: the PostgreSQL backend's classes are generic over backend and connection types
  private readonly pg?: ReturnType<typeof withBackend<any, any>>;

  /**
   * @param target.singleQueue embedded mode: every logical queue is served by one physical queue
   *   ("hocso"), so one BullMQ worker polls the embedded PGlite. Its socket server multiplexes all
   *   connections onto one session, and several workers' concurrent extended-protocol traffic
   *   corrupts it ("unnamed prepared statement does not exist"). Jobs keep their names; the runner
   *   dispatches by name as it always does.
   */
  constructor(
    readonly kind: QueueBackendKind,
    private readonly target: { redisUrl?: string; postgresUrl?: string; prefix: string; singleQueue?: boolean },
  ) {
    if (kind === 'postgres') {
      // Lazily required so Redis-only deployments never load the pg backend.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createPostgresBackend } = require('bullmq/dist/cjs/postgres/index.js');
      this.pg = withBackend(createPostgresBackend);
    }
  }

  /** The backend queue that serves a logical queue. */
  physicalName(name: string): string {
    return this.target.singleQueue ? EMBEDDED_QUEUE : name;
  }

  /** A Redis connection; producers fail fast (no offline queue), workers wait for Redis forever. */
  redis(role: 'producer' | 'worker'): Redis {
    const client = new Redis(this.target.redisUrl as string, {
      maxRetriesPerRequest: role === 'worker' ? null : 1,
      enableOfflineQueue: role === 'worker',
      // Back off to at most 5 s between attempts: after an outage the api is ready again (and the
      // workers consume again) within seconds of Redis returning, whatever the outage's length.
      retryStrategy: (times) => Math.min(250 * 2 ** Math.min(times, 5), 5000),
      connectionName: `hocso-${role}`,
      // RELIABILITY R14: a silent network (packets dropped, not refused) must not hold a producer's
      // command for ever. Producers never block, so 5 s is a broken link; workers' connections
      // block (BZPOPMIN) by design and get no command timeout.
      connectTimeout: 5000,
      ...(role === 'producer' ? { commandTimeout: 5000 } : {}),
    });
    client.on('error', () => undefined); // surfaced through health checks; ioredis reconnects
    let lost = false;
    client.on('close', () => {
      lost = true;
    });
    client.on('ready', () => {
      if (!lost) return;
      lost = false;
      for (const listener of this.reconnectListeners) listener();
    });
    this.redisClients.push(client);
    return client;
  }

  /** Calls `listener` whenever a Redis connection is ready again after it was lost (Redis may have come back empty). */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  private pgConnection() {
    return { connectionString: this.target.postgresUrl, migrate: true, max: 4 };
  }

  createQueue(name: string): Queue {
    if (this.kind === 'postgres') {
      return new this.pg!.Queue(name, {
        connection: this.pgConnection(),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }) as unknown as Queue;
    }
    const opts: QueueOptions = {
      connection: this.redis('producer'),
      prefix: this.target.prefix,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    };
    return new Queue(name, opts);
  }

  createWorker(name: string, processor: Processor, options: Partial<WorkerOptions> = {}): Worker {
    if (this.kind === 'postgres') {
      return new this.pg!.Worker(name, processor, {
        connection: this.pgConnection(),
        ...options,
      } as never) as unknown as Worker;
    }
    return new Worker(name, processor, {
      connection: this.redis('worker'),
      prefix: this.target.prefix,
      ...options,
    });
  }

  async close(): Promise<void> {
    this.reconnectListeners.clear();
    await Promise.all(this.redisClients.map((c) => c.quit().catch(() => c.disconnect())));
    this.redisClients.length = 0;
  }
}
