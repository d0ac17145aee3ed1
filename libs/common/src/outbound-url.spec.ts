import { assertDeliverable, isPrivateAddress, readTextCapped, webhookUrlProblem } from './outbound-url';

/** SSRF guards for the URLs the server calls on someone else's say-so (RELIABILITY SC12). */
describe('outbound URLs', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254', // cloud metadata
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1', // the same, as URL parsing writes it
    '::ffff:a9fe:a9fe', // 169.254.169.254 mapped
    '0:0:0:0:0:ffff:10.0.0.1',
    '::10.0.0.1', // IPv4-compatible
    '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
    '2002:c0a8:0101::1', // 6to4 of 192.168.1.1
    'not-an-ip',
  ])('%s is private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '203.113.131.1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it.each([
    ['http://[::ffff:127.0.0.1]/hook', 'private address'],
    ['http://[0:0:0:0:0:ffff:169.254.169.254]/latest/meta-data', 'private address'],
    ['http://0x7f.1/hook', 'private address'], // URL parsing reads it as 127.0.0.1
    ['http://2130706433/hook', 'private address'],
    ['http://localhost:3000/hook', 'private address'],
    ['http://api.localhost/hook', 'private address'],
    ['http://localhost./hook', 'private address'],
    ['ftp://example.com/x', 'only http(s)'],
    ['https://user:pass@example.com/x', 'no credentials in the URL'],
    ['nonsense', 'not a URL'],
  ])('%s is refused (%s)', (url, problem) => {
    expect(webhookUrlProblem(url, false)).toBe(problem);
  });

  it('a public URL passes; private ones pass only when explicitly allowed (development)', () => {
    expect(webhookUrlProblem('https://hooks.example.vn/hocso', false)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', true)).toBeNull();
  });

  it('assertDeliverable refuses the same before any request is made', async () => {
    await expect(assertDeliverable('http://localhost./hook', false)).rejects.toThrow(/private/);
    await expect(assertDeliverable('http://[::ffff:7f00:1]/hook', false)).rejects.toThrow(/private/);
  });
});

describe('readTextCapped', () => {
  const streamOf = (chunks: string[], onCancel: () => void) =>
    new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
      cancel: onCancel,
    });

  it('reads a small body whole', async () => {
    expect(await readTextCapped(new Response('{"access_token":"t"}'))).toBe('{"access_token":"t"}');
  });

  it('stops at the cap and cancels the rest of an endless body', async () => {
    let cancelled = false;
    const chunks = Array.from({ length: 10_000 }, () => 'x'.repeat(1024));
    const text = await readTextCapped(
      new Response(
        streamOf(chunks, () => {
          cancelled = true;
        }),
      ),
      4096,
    );
    expect(text).toBe('x'.repeat(4096));
    expect(cancelled).toBe(true);
    expect(chunks.length).toBeGreaterThan(9_000); // the rest was never pulled
  });

  it('no body is an empty string', async () => {
    expect(await readTextCapped(new Response(null, { status: 204 }))).toBe('');
  });
});
