import * as argon2 from 'argon2';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';
import { ARGON2_OPTIONS, PasswordService } from './password.service';

describe('PasswordService', () => {
  const sut = new PasswordService();

  const codeOf = (fn: () => unknown) => {
    try {
      fn();
      return null;
    } catch (err) {
      return err instanceof IdentityException ? err.code : 'other';
    }
  };

  it('counts Unicode code points after NFC: 8 Vietnamese letters pass, 7 do not', () => {
    expect(codeOf(() => sut.assertAcceptable('đườngđi'))).toBe(IdentityExceptionCode.PASSWORD_TOO_SHORT);
    expect(codeOf(() => sut.assertAcceptable('đườngđix'))).toBeNull();
    // NFD input of the same 8 letters is normalised first and still passes.
    expect(codeOf(() => sut.assertAcceptable('đườngđix'.normalize('NFD')))).toBeNull();
  });

  it('has no composition rules', () => {
    expect(codeOf(() => sut.assertAcceptable('trăng tròn mười sáu'))).toBeNull();
  });

  it('refuses the most common passwords, case-insensitively', () => {
    for (const p of ['password', 'PASSWORD1', '12345678', 'qwertyuiop', 'iloveyou', 'anhyeuem123', 'matkhau123']) {
      expect(codeOf(() => sut.assertAcceptable(p))).toBe(IdentityExceptionCode.PASSWORD_TOO_COMMON);
    }
  });

  it('hashes with argon2id m=19 MiB, t=2, p=1 and verifies NFC-equivalent input', async () => {
    const hash = await sut.hash('Mật khẩu của tôi');
    expect(hash).toMatch(/^\$argon2id\$v=19\$/);
    const params = Object.fromEntries(
      hash
        .split('$')[3]
        .split(',')
        .map((kv) => kv.split('=')),
    );
    expect(params).toEqual({ m: '19456', t: '2', p: '1' });
    expect(await sut.verify(hash, 'Mật khẩu của tôi'.normalize('NFD'))).toBe(true);
    expect(await sut.verify(hash, 'Mật khẩu của tôi!')).toBe(false);
    expect(sut.needsRehash(hash)).toBe(false);
  });

  it('flags older, weaker hashes for rehash', async () => {
    const weak = await argon2.hash('x'.repeat(10), { ...ARGON2_OPTIONS, memoryCost: 4096, timeCost: 1 });
    expect(sut.needsRehash(weak)).toBe(true);
  });

  it('verify() with no hash (unknown account) still does the work and returns false', async () => {
    expect(await sut.verify(null, 'anything at all')).toBe(false);
  });
});
