import type { Queue } from 'bullmq';

/** Polls a job until it completes (returns its result) or fails (throws), within `timeoutMs`. */
export async function waitForJob<R = unknown>(queue: Queue, jobId: string, timeoutMs = 20_000): Promise<R> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(jobId);
    const state = job ? await job.getState() : 'missing';
    if (state === 'completed') return job?.returnvalue as R;
    if (state === 'failed') throw new Error(`job ${jobId} failed: ${job?.failedReason}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
