import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CertificatePdfData, formatVnDate, renderCertificatePdf } from './certificate-pdf';

/** poppler-utils (pdftotext, pdfinfo) reads the PDFs back; CI installs it. */
function poppler(tool: 'pdftotext' | 'pdfinfo', args: string[]): string {
  const bin = existsSync(`/usr/bin/${tool}`) ? `/usr/bin/${tool}` : tool;
  try {
    return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} not found: install poppler-utils (apt-get install poppler-utils) to run these tests`);
    }
    throw err;
  }
}

const NAME = 'Nguyễn Thị Ánh Tuyết';
const TITLE_VI = 'Kỹ năng số thiết yếu: dịch vụ công trực tuyến';
const URL = 'https://hocso.thainguyen.gov.vn/verify/HS-2026-000123';

const base: CertificatePdfData = {
  credentialId: 'HS-2026-000123',
  holderName: NAME.normalize('NFD'), // decomposed input must still print the composed name
  title: { vi: TITLE_VI, en: 'Essential digital skills: online public services' },
  kind: 'course',
  hours: 24,
  level: 'NC1',
  cohort: { title: 'Lớp K12 — Phường Phan Đình Phùng', trainerName: 'Lê Thị Hồng Nhung' },
  competencies: ['TT02:1.1', 'TT02:5.4'],
  issuedOn: new Date('2026-11-26T17:30:00Z'), // 27/11/2026 00:30 in Hà Nội
  validUntil: new Date('2029-11-26T17:30:00Z'),
  issuerName: 'Sở Khoa học và Công nghệ tỉnh Thái Nguyên',
  signatory: { name: 'Trần Văn A', title: 'Giám đốc' },
  verifyUrl: URL,
};

describe('formatVnDate', () => {
  it('prints the calendar day in Asia/Ho_Chi_Minh (UTC+7)', () => {
    expect(formatVnDate(new Date('2026-11-26T17:30:00Z'))).toBe('27/11/2026');
    expect(formatVnDate(new Date('2026-11-26T16:59:59Z'))).toBe('26/11/2026');
    expect(formatVnDate(new Date('2025-12-31T17:00:00Z'))).toBe('01/01/2026');
    expect(formatVnDate(new Date('2026-03-05T03:00:00Z'))).toBe('05/03/2026');
  });
});

describe('renderCertificatePdf', () => {
  let dir: string;
  let seq = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hocso-cert-pdf-'));
    poppler('pdftotext', ['-v']); // fail fast, with the message above, when poppler-utils is missing
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function render(data: CertificatePdfData): Promise<{ pdf: Buffer; text: string; raw: string; info: string }> {
    const pdf = await renderCertificatePdf(data);
    const file = join(dir, `cert-${++seq}.pdf`);
    writeFileSync(file, pdf);
    const raw = poppler('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
    return { pdf, raw, text: raw.normalize('NFC'), info: poppler('pdfinfo', ['-enc', 'UTF-8', file]) };
  }

  it('prints a one-page A4-landscape certificate whose text layer holds the exact Vietnamese text', async () => {
    const { pdf, text, raw, info } = await render(base);

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toContain('Page size:       841.89 x 595.28 pts (A4)');

    expect(raw).toContain(NAME); // composed code points even for decomposed input (NFC before drawing)
    expect(text).toContain(TITLE_VI);
    expect(text).toContain('CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC');
    expect(text).toContain('Chứng nhận');
    expect(text).toContain('This certifies that');
    expect(text).toContain('Essential digital skills: online public services');
    expect(text).toContain('24 giờ');
    expect(text).toContain('NC1');
    expect(text).toContain('Lê Thị Hồng Nhung');
    expect(text).toContain('TT02:1.1, TT02:5.4');
    expect(text).toContain('Ngày cấp: 27/11/2026');
    expect(text).toContain('Có giá trị đến: 27/11/2029');
    expect(text).toContain('Thái Nguyên, ngày 27 tháng 11 năm 2026');
    expect(text).toContain('GIÁM ĐỐC');
    expect(text).toContain('Trần Văn A');
    expect(text).toContain(URL);
    expect(text).toContain('HS-2026-000123');

    // The QR code is an embedded image; the fonts are embedded subsets with a ToUnicode map.
    const latin1 = pdf.toString('latin1');
    expect(latin1).toContain('/Subtype /Image');
    expect(latin1).toContain('/ToUnicode');
    expect(latin1).toContain('BeVietnamPro-Bold');
  });

  it('sets the document metadata and is deterministic for the same input', async () => {
    const { pdf, info } = await render(base);
    expect(info).toContain(`Title:           CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC — ${NAME}`);
    expect(info).toContain('Author:          Sở Khoa học và Công nghệ tỉnh Thái Nguyên');
    expect(info).toContain(`Subject:         ${TITLE_VI} (HS-2026-000123)`);
    expect(info).toMatch(/CreationDate:\s+.*Nov 26 17:30:00 2026/);

    const again = await renderCertificatePdf(base);
    expect(again.equals(pdf)).toBe(true);
  });

  it('keeps a 60-character name and a long title on one page', async () => {
    const longName = 'Tôn Nữ Hoàng Thị Ngọc Phương Uyên Thảo Nguyễn Huỳnh Bảo Ngân';
    expect(longName).toHaveLength(60);
    const longTitle =
      'Kỹ năng số thiết yếu: dịch vụ công trực tuyến, thanh toán điện tử, an toàn thông tin cá nhân ' +
      'và ứng dụng trí tuệ nhân tạo trong công việc hằng ngày';
    const { text, info } = await render({
      ...base,
      holderName: longName,
      title: { vi: longTitle, en: 'Essential digital skills for everyday life and work' },
      competencies: Array.from({ length: 14 }, (_, i) => `TT02:${1 + (i % 6)}.${1 + (i % 4)}`),
    });
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(text.replace(/\s+/g, ' ')).toContain(longName);
    expect(text).toContain(URL);
    expect(text).toContain('HS-2026-000123');
  });

  it('wraps a name too long for one line instead of adding a page', async () => {
    const huge = Array.from({ length: 6 }, () => 'Nguyễn Hoàng Phương Uyên').join(' ');
    const { text, info } = await render({ ...base, holderName: huge });
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(text).toContain('Nguyễn Hoàng Phương Uyên');
  });

  it('prints a trainer certificate in English first, omitting absent details', async () => {
    const { text, info } = await render({
      ...base,
      locale: 'en',
      kind: 'trainer',
      title: { vi: 'Giảng viên nguồn (ToT) — cấp cơ sở', en: 'Master trainer (ToT) — commune level' },
      hours: null,
      level: 'Cấp cơ sở',
      cohort: null,
      competencies: [],
      validUntil: null,
    });
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(text).toContain('TRAINER CERTIFICATE');
    expect(text).toContain('CHỨNG NHẬN GIẢNG VIÊN');
    expect(text.indexOf('TRAINER CERTIFICATE')).toBeLessThan(text.indexOf('CHỨNG NHẬN GIẢNG VIÊN'));
    expect(text).toContain('Master trainer (ToT) — commune level');
    expect(text).toContain('Giảng viên nguồn (ToT) — cấp cơ sở');
    expect(text).toContain('Issued on: 27/11/2026');
    expect(text).toContain('Thái Nguyên, 27 November 2026');
    expect(text).not.toContain('giờ');
    expect(text).not.toContain('hours');
    expect(text).not.toContain('Valid until');
    expect(text).not.toContain('Có giá trị đến');
  });

  it('writes the place and date line the administrative way (leading zero for day < 10 and months 1–2)', async () => {
    const { text } = await render({
      ...base,
      issuedOn: new Date('2026-02-04T02:00:00Z'),
      issuerName: 'Trung tâm Chuyển đổi số thành phố Hà Nội',
    });
    expect(text).toContain('Hà Nội, ngày 04 tháng 02 năm 2026');
    expect(text).toContain('Ngày cấp: 04/02/2026');
  });
});
