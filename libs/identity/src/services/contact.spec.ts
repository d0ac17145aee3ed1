import { IdentityException } from '../identity.exception';
import { formatVietnamesePhone, normalizeEmail, normalizeVietnamesePhone, parseIdentifier } from './contact';

describe('Vietnamese phone numbers', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['0912.345.678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['0361234567', '+84361234567'], // Viettel 036
    ['0701234567', '+84701234567'], // MobiFone 070
    ['0861234567', '+84861234567'],
    ['0591234567', '+84591234567'], // Gmobile
  ])('%s → %s', (input, e164) => {
    expect(normalizeVietnamesePhone(input)).toBe(e164);
  });

  it.each(['02083123456', '0123456789', '091234567', '09123456789', 'abc', '', '+1 202 555 0100'])(
    'refuses %j (landline, old 11-digit, wrong length, foreign)',
    (input) => {
      expect(() => normalizeVietnamesePhone(input)).toThrow(IdentityException);
    },
  );

  it('shows numbers the Vietnamese way', () => {
    expect(formatVietnamesePhone('+84912345678')).toBe('0912 345 678');
  });
});

describe('identifiers', () => {
  it('lower-cases and NFC-normalises e-mails', () => {
    expect(normalizeEmail('  Lan.Tran@Example.VN ')).toBe('lan.tran@example.vn');
  });

  it('tells e-mail from phone', () => {
    expect(parseIdentifier('A@B.vn')).toEqual({ column: 'email', value: 'a@b.vn' });
    expect(parseIdentifier('0912 345 678')).toEqual({ column: 'phone', value: '+84912345678' });
    expect(parseIdentifier('nonsense')).toBeNull();
  });
});
