import type { INestApplicationContext } from '@nestjs/common';
import { QueueName, QueueService } from '@hocso/queue';

export const QUEUE_RETRY_USAGE = `  queue:retry-failed [--queue name] [--name job-name]
                                re-drive jobs that failed for good (e.g. stalled twice): each goes back to
                                waiting with fresh attempts; a re-driven training report is processed again
                                and keeps every row once. Queues: ${Object.values(QueueName).join(', ')}`;

interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** Jobs taken from a queue's failed set per round (the set shrinks as each is retried). */
const PAGE = 200;

/**
 * `node dist/apps/cli/src/main.js queue:retry-failed [--queue name] [--name job-name]` (RELIABILITY RC4): moves
 * every failed job of the queue (or of every queue) back to waiting with `job.retry()`, resetting
 * its attempts, so the job runs again with its full retry budget. Returns the exit code: 0, or 2 for
 * bad usage.
 */
export async function queueRetryCommand(
  ctx: INestApplicationContext,
  args: string[],
  out: Output = { log: (l) => console.log(l), error: (l) => console.error(l) },
): Promise<number> {
  const opts = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    if (!['--queue', '--name'].includes(args[i]) || args[i + 1] === undefined) {
      out.error(`Cách dùng / usage:\n${QUEUE_RETRY_USAGE}`);
      return 2;
    }
    opts.set(args[i], args[i + 1]);
  }
  const wanted = opts.get('--queue');
  const queues = Object.values(QueueName).filter((q) => !wanted || q === wanted);
  if (!queues.length) {
    out.error(`Không có hàng đợi / unknown queue "${wanted}". ${QUEUE_RETRY_USAGE}`);
    return 2;
  }
  const name = opts.get('--name');
  const service = ctx.get(QueueService);
  // Several logical queues share one physical queue in embedded mode: visit each physical one once.
  const seen = new Set<unknown>();
  let total = 0;
  for (const q of queues) {
    const queue = service.queue(q);
    if (seen.has(queue)) continue;
    seen.add(queue);
    let retried = 0;
    let skipped = 0;
    for (;;) {
      const failed = (await queue.getFailed(skipped, skipped + PAGE - 1)).filter(Boolean);
      if (!failed.length) break;
      for (const job of failed) {
        if (name && job.name !== name) {
          skipped++;
          continue;
        }
        const reason = job.failedReason;
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        out.log(`retried ${q} ${job.name}#${job.id} (${reason ?? 'failed'})`);
        retried++;
      }
    }
    if (retried) out.log(`${q}: ${retried} failed job(s) back to waiting`);
    total += retried;
  }
  out.log(total ? `Đã chạy lại ${total} việc / re-drove ${total} job(s).` : 'Không có việc lỗi / no failed jobs.');
  return 0;
}
