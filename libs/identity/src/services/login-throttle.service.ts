import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { limiterRedis } from '@hocso/common';
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';

/**
 * Brute-force and credential-stuffing brake for sign-in (ASVS 6.3.1): failures per account and
 * attempts per client IP, each over a sliding window. Backed by Redis when REDIS_URL is set (shared
 * by every api process), else in memory (embedded mode runs one process); while Redis is down the
 * same budgets are counted in each process's memory. A blocked account is released when the window
 * passes, so nobody can lock a victim out for good.
 */
@Injectable()
export class LoginThrottleService implements OnModuleInit, OnModuleDestroy {
  private readonly perAccount: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;
  private readonly redis?: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const duration = config.auth.windowSeconds;
    if (config.redis.url) {
      this.redis = limiterRedis(config.redis.url);
      const base = {
        storeClient: this.redis,
        duration,
        keyPrefix: `${config.redis.prefix}:login`,
        rejectIfRedisNotReady: true,
      };
      // Redis down: the same budgets in this process's memory (insurance), never a 500 or an open door.
      this.perAccount = new RateLimiterRedis({
        ...base,
        points: config.auth.maxFailuresPerAccount,
        keyPrefix: `${base.keyPrefix}:acct`,
        insuranceLimiter: new RateLimiterMemory({ points: config.auth.maxFailuresPerAccount, duration }),
      });
      this.perIp = new RateLimiterRedis({
        ...base,
        points: config.auth.maxAttemptsPerIp,
        keyPrefix: `${base.keyPrefix}:ip`,
        insuranceLimiter: new RateLimiterMemory({ points: config.auth.maxAttemptsPerIp, duration }),
      });
    } else {
      this.perAccount = new RateLimiterMemory({ points: config.auth.maxFailuresPerAccount, duration });
      this.perIp = new RateLimiterMemory({ points: config.auth.maxAttemptsPerIp, duration });
    }
  }

  async onModuleInit() {
    if (this.redis && this.redis.status !== 'ready') {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, 5000);
        this.redis?.once('ready', done);
      });
    }
  }

  /** Before checking a password: refuse when the IP or the account is over its budget. */
  async assertAllowed(accountKey: string, ip: string): Promise<void> {
    const [ipState, accountState] = await Promise.all([
      this.consumeIp(ip),
      this.perAccount.get(accountKey).catch(() => null),
    ]);
    const blocked: RateLimiterRes[] = [];
    if (ipState && ipState.consumedPoints > this.perIp.points) blocked.push(ipState);
    if (accountState && accountState.consumedPoints >= this.perAccount.points) blocked.push(accountState);
    if (blocked.length) {
      const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...blocked.map((b) => b.msBeforeNext)) / 1000));
      throw new IdentityException(IdentityExceptionCode.TOO_MANY_ATTEMPTS, { retryAfterSeconds });
    }
  }

  async recordFailure(accountKey: string): Promise<void> {
    await this.perAccount.penalty(accountKey, 1).catch(() => undefined);
  }

  async recordSuccess(accountKey: string): Promise<void> {
    await this.perAccount.delete(accountKey).catch(() => undefined);
  }

  private async consumeIp(ip: string): Promise<RateLimiterRes | null> {
    try {
      return await this.perIp.consume(ip, 1);
    } catch (res) {
      if (res instanceof RateLimiterRes) return res;
      return null; // neither store answered (cannot happen with the insurance limiter): let it through
    }
  }

  async onModuleDestroy() {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
