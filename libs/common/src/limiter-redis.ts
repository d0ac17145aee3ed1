import { Redis } from 'ioredis';

/**
 * The Redis connection of a rate limiter (sign-in, content API, abuse limits): no offline queue, one
 * retry and a 500 ms command timeout, so a stalled or absent Redis never stalls a request — the
 * limiter's in-memory insurance answers instead. Errors are the limiter's to handle, not the
 * process's.
 */
export function limiterRedis(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 });
  redis.on('error', () => undefined);
  return redis;
}
