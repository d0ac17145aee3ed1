import { assertNoEviction, RedisPolicyError } from './queue-backend';

const fakeRedis = (reply: string[] | Error) => ({
  config: async () => {
    if (reply instanceof Error) throw reply;
    return reply;
  },
});

describe('assertNoEviction', () => {
  it('accepts noeviction', async () => {
    await expect(assertNoEviction(fakeRedis(['maxmemory-policy', 'noeviction']) as never)).resolves.toBeUndefined();
  });

  it.each(['allkeys-lru', 'volatile-lru', 'allkeys-random', 'volatile-ttl'])('refuses %s', async (policy) => {
    await expect(assertNoEviction(fakeRedis(['maxmemory-policy', policy]) as never)).rejects.toThrow(RedisPolicyError);
    await expect(assertNoEviction(fakeRedis(['maxmemory-policy', policy]) as never)).rejects.toThrow(`"${policy}"`);
  });

  it('lets through a server that forbids CONFIG (managed Redis), with a warning', async () => {
    await expect(
      assertNoEviction(fakeRedis(new Error('ERR unknown command CONFIG')) as never),
    ).resolves.toBeUndefined();
  });
});
