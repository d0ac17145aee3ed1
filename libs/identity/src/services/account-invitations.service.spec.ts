import {
  formatInvitationCode,
  formatVietnamDate,
  generateInvitationCode,
  hashInvitationCode,
  hashInvitationToken,
  INVITATION_CODE_ALPHABET,
  INVITATION_CODE_LENGTH,
  normalizeInvitationCode,
} from './account-invitations.service';

describe('invitation codes', () => {
  it('uses an alphabet without look-alikes (0/O, 1/I/L)', () => {
    for (const c of '0O1IL') expect(INVITATION_CODE_ALPHABET).not.toContain(c);
    expect(new Set(INVITATION_CODE_ALPHABET).size).toBe(INVITATION_CODE_ALPHABET.length);
  });

  it('generates 8 characters from the alphabet, and different codes each time', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = generateInvitationCode();
      expect(code).toMatch(new RegExp(`^[${INVITATION_CODE_ALPHABET}]{${INVITATION_CODE_LENGTH}}$`));
      codes.add(code);
    }
    expect(codes.size).toBe(500);
  });

  it('shows codes as XXXX-XXXX', () => {
    expect(formatInvitationCode('K7QM4XPA')).toBe('K7QM-4XPA');
  });

  it.each([
    ['K7QM-4XPA', 'K7QM4XPA'],
    ['k7qm-4xpa', 'K7QM4XPA'],
    ['K7QM4XPA', 'K7QM4XPA'],
    ['  k7qm 4xpa ', 'K7QM4XPA'],
    ['K7 QM - 4X PA', 'K7QM4XPA'],
    ['K7QM\u20134XPA', 'K7QM4XPA'], // en dash (phones autocorrect)
    ['\uFF2B\uFF17\uFF31\uFF2D\uFF0D\uFF14\uFF38\uFF30\uFF21', 'K7QM4XPA'], // full-width
  ])('normalises %j', (input, expected) => {
    expect(normalizeInvitationCode(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['K7QM-4XP', 'too short'],
    ['K7QM-4XPAB', 'too long'],
    ['K7QM-4XP0', 'zero'],
    ['K7QM-4XPO', 'letter O'],
    ['K7QM-4XP1', 'one'],
    ['K7QM-4XPI', 'letter I'],
    ['K7QM-4XPL', 'letter L'],
    ['K7QM_4XPA', 'underscore'],
    ['K7QM-4XPĂ', 'Vietnamese letter'],
  ])('refuses %j (%s)', (input) => {
    expect(normalizeInvitationCode(input)).toBeNull();
  });

  it('round-trips: a generated code, formatted, normalises back to itself', () => {
    for (let i = 0; i < 50; i++) {
      const code = generateInvitationCode();
      expect(normalizeInvitationCode(formatInvitationCode(code).toLowerCase())).toBe(code);
    }
  });

  it('hashes codes per invitation (equal codes, different hashes) and never keeps the code', () => {
    const a = hashInvitationCode('00000000-0000-0000-0000-000000000001', 'K7QM4XPA');
    const b = hashInvitationCode('00000000-0000-0000-0000-000000000002', 'K7QM4XPA');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('K7QM4XPA');
    expect(hashInvitationToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('formatVietnamDate', () => {
  it('shows dd/MM/yyyy in Asia/Ho_Chi_Minh (UTC+7)', () => {
    expect(formatVietnamDate(new Date('2026-03-05T10:00:00Z'))).toBe('05/03/2026');
    // 17:30 UTC on 31 Dec is already New Year's Day in Vietnam
    expect(formatVietnamDate(new Date('2025-12-31T17:30:00Z'))).toBe('01/01/2026');
    expect(formatVietnamDate(new Date('2025-12-31T16:59:59Z'))).toBe('31/12/2025');
  });
});
