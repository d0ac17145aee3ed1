import { foldDiacritics, normalizeText } from './text';

describe('text', () => {
  it('normalizeText: NFC, trimmed, single spaces', () => {
    const nfd = '  Nguye\u0302\u0303n   Va\u0306n  An ';
    expect(normalizeText(nfd)).toBe('Nguyễn Văn An');
    expect(normalizeText(nfd)).toBe(normalizeText(nfd).normalize('NFC'));
  });

  it('foldDiacritics: accents, đ and case removed', () => {
    expect(foldDiacritics('DỊCH VỤ CÔNG')).toBe('dich vu cong');
    expect(foldDiacritics('Đường Đại Từ')).toBe('duong dai tu');
    expect(foldDiacritics('dich vu cong')).toBe('dich vu cong');
  });
});
