import type { Queue } from 'bullmq';

/** Polls a job until it completes (returns its result) or fails (throws), within `timeoutMs`. */
export async function waitForJob<R = unknown>(queue: Queue, jobId: string, timeoutMs = 20_000): Promise<R> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(jobId);
    // Read the job only once it has settled, so its return value is the final one.
    if (state === 'completed') return (await queue.getJob(jobId))?.returnvalue as R;
    if (state === 'failed') throw new Error(`job ${jobId} failed: ${(await queue.getJob(jobId))?.failedReason}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
