import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';
import { isCommonPassword } from './common-passwords';

/** OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

@Injectable()
export class PasswordService {
  /** A hash of a random string, verified against when an account does not exist (equal timing). */
  private dummyHash?: Promise<string>;

  /**
   * ASVS 6.2: at least 8 characters (counted as Unicode code points after NFC), up to 256, any
   * characters including Vietnamese, no composition rules, common passwords refused.
   */
  assertAcceptable(password: string, field = 'password'): string {
    const normalized = password.normalize('NFC');
    if ([...normalized].length < PASSWORD_MIN_LENGTH) {
      throw new IdentityException(IdentityExceptionCode.PASSWORD_TOO_SHORT, { field });
    }
    if (isCommonPassword(normalized)) {
      throw new IdentityException(IdentityExceptionCode.PASSWORD_TOO_COMMON, { field });
    }
    return normalized;
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password.normalize('NFC'), ARGON2_OPTIONS);
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    if (!hash) {
      this.dummyHash ??= argon2.hash('hocso-dummy-password-for-equal-timing', ARGON2_OPTIONS);
      await argon2.verify(await this.dummyHash, password.normalize('NFC')).catch(() => false);
      return false;
    }
    try {
      return await argon2.verify(hash, password.normalize('NFC'));
    } catch {
      return false;
    }
  }

  /** True when the stored hash uses other (older, weaker) parameters: rehash after a good login. */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, ARGON2_OPTIONS);
  }
}
