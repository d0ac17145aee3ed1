import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dictionary } from '@zxcvbn-ts/language-common';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';
import { isCommonPassword } from './common-passwords';
import { PasswordService } from './password.service';

/**
 * SC2 (ASVS 6.2.4/6.2.9): the depth of the common-password list, and the policy's answers on the
 * passwords people actually pick. The list is checked from the outside (which ranked passwords are
 * refused), not by reading the module's set.
 */
describe('password policy: common-password list (SC2)', () => {
  const sut = new PasswordService();
  const codeOf = (password: string) => {
    try {
      sut.assertAcceptable(password);
      return null;
    } catch (err) {
      return err instanceof IdentityException ? err.code : 'other';
    }
  };

  it('refuses every one of the 3,000 most common passwords: the list holds at least 3,000 distinct entries', () => {
    const ranked = (dictionary as Record<string, string[]>)['passwords-common'];
    const top = new Set(ranked.slice(0, 3_200).map((p) => p.toLowerCase()));
    expect(top.size).toBeGreaterThanOrEqual(3_000);
    expect([...top].filter((p) => !isCommonPassword(p))).toEqual([]);
    // Around rank 3,000, not only the head of the list.
    for (const p of ranked.slice(2_990, 3_000)) expect(isCommonPassword(p.toUpperCase())).toBe(true);
  });

  it('loads the Vietnamese favourites (the file is read, not silently skipped)', () => {
    const file = join(__dirname, '../../../../content/security/common-passwords-vi.txt');
    const entries = readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(entries.length).toBeGreaterThan(20);
    expect(entries.filter((p) => !isCommonPassword(p))).toEqual([]);
  });

  it.each(['matkhau123', '123456789', 'password1', 'Password1', 'MATKHAU123', 'anhyeuem123'])(
    'refuses "%s" as too common',
    (p) => {
      expect(codeOf(p)).toBe(IdentityExceptionCode.PASSWORD_TOO_COMMON);
    },
  );

  it('accepts a 64+ character Vietnamese passphrase, and refuses 7 characters', () => {
    const passphrase = 'Sáng nay trời Thái Nguyên trong xanh, đồi chè Tân Cương thơm ngát hương';
    expect([...passphrase].length).toBeGreaterThanOrEqual(64);
    expect(codeOf(passphrase)).toBeNull();
    expect(codeOf(passphrase.normalize('NFD'))).toBeNull();
    expect(sut.assertAcceptable(passphrase.normalize('NFD'))).toBe(passphrase.normalize('NFC'));
    expect(codeOf('chè xnh')).toBe(IdentityExceptionCode.PASSWORD_TOO_SHORT);
  });
});
