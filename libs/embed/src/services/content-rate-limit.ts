import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type Actor } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { EmbedException, EmbedExceptionCode } from '../embed.exception';

/**
 * Per-key (and, without a key, per-IP) rate limits of the content API: a fixed one-minute window
 * in Redis when configured (shared by every api process), in memory otherwise. Over the budget:
 * 429 with Retry-After. A Redis outage lets requests through rather than failing them.
 */
@Injectable()
export class ContentRateLimit implements OnModuleDestroy {
  private readonly perKey: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;
  private readonly redis?: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { ratePerMinute, anonRatePerMinute } = config.embed;
    if (config.redis.url) {
      this.redis = new Redis(config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      this.redis.on('error', () => undefined);
      const base = { storeClient: this.redis, duration: 60, rejectIfRedisNotReady: true };
      this.perKey = new RateLimiterRedis({
        ...base,
        points: ratePerMinute,
        keyPrefix: `${config.redis.prefix}:content:key`,
      });
      this.perIp = new RateLimiterRedis({
        ...base,
        points: anonRatePerMinute,
        keyPrefix: `${config.redis.prefix}:content:ip`,
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
      // The store is down: serve rather than refuse.
    }
  }
}
