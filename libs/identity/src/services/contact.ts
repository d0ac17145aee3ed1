import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';

/** E-mail as stored and compared: NFC, trimmed, lower-case. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

/**
 * A Vietnamese mobile number ("0912 345 678", "0912.345.678", "+84 912 345 678") in E.164
 * ("+84912345678"). libphonenumber's mobile metadata rejects landlines and unassigned prefixes.
 */
export function normalizeVietnamesePhone(input: string, field = 'phone'): string {
  const phone = parsePhoneNumberFromString(input.trim(), 'VN');
  if (phone?.country !== 'VN' || !phone.isValid()) {
    throw new IdentityException(IdentityExceptionCode.PHONE_INVALID, { field });
  }
  return phone.number;
}

/** Shows an E.164 number the Vietnamese way: 0912 345 678. */
export function formatVietnamesePhone(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  return phone ? phone.formatNational() : e164;
}

/** A login identifier is an e-mail (has "@") or a phone number; returns the lookup column and value. */
export function parseIdentifier(identifier: string): { column: 'email' | 'phone'; value: string } | null {
  const trimmed = identifier.trim();
  if (trimmed.includes('@')) return { column: 'email', value: normalizeEmail(trimmed) };
  try {
    return { column: 'phone', value: normalizeVietnamesePhone(trimmed) };
  } catch {
    return null;
  }
}
