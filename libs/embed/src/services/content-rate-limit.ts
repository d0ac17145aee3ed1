import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type Actor, limiterRedis } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { EmbedException, EmbedExceptionCode } from '../embed.exception';

/**
 * Per-key (and, without a key, per-IP) rate limits of the content API: a fixed one-minute window
 * in Redis when configured (shared by every api process), in memory otherwise. Over the budget:
 * 429 with Retry-After. During a Redis outage each process counts in its own memory; a request is
 * never failed because the counter store is away.
 */
@Injectable()
export class ContentRateLimit implements OnModuleDestroy {
  private readonly perKey: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;
  private readonly redis?: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { ratePerMinute, anonRatePerMinute } = config.embed;
    if (config.redis.url) {
      this.redis = limiterRedis(config.redis.url);
      const base = { storeClient: this.redis, duration: 60, rejectIfRedisNotReady: true };
      // Redis down: the same budgets in this process's memory (insurance) rather than none.
      this.perKey = new RateLimiterRedis({
        ...base,
        points: ratePerMinute,
        keyPrefix: `${config.redis.prefix}:content:key`,
        insuranceLimiter: new RateLimiterMemory({ points: ratePerMinute, duration: 60 }),
      });
      this.perIp = new RateLimiterRedis({
        ...base,
        points: anonRatePerMinute,
        keyPrefix: `${config.redis.prefix}:content:ip`,
        insuranceLimiter: new RateLimiterMemory({ points: anonRatePerMinute, duration: 60 }),
      });
    } else {
      this.perKey = new RateLimiterMemory({ points: ratePerMinute, duration: 60 });
      this.perIp = new RateLimiterMemory({ points: anonRatePerMinute, duration: 60 });
    }
  }

  onModuleDestroy() {
    this.redis?.disconnect();
  }

  async consume(actor: Actor | null, ip: string): Promise<void> {
    const [limiter, key] = actor?.kind === 'api_key' ? [this.perKey, actor.apiKeyId] : [this.perIp, ip];
    try {
      await limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        throw new EmbedException(EmbedExceptionCode.RATE_LIMITED, {
          retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)),
        });
      }
      // Neither store answered (cannot happen with the insurance limiter): serve rather than refuse.
    }
  }
}
