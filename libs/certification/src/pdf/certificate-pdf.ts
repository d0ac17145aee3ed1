import { readFile } from 'node:fs/promises';
import PDFDocument from 'pdfkit';
import { toBuffer as qrPng } from 'qrcode';

/** Everything printed on one certificate. Pure data: no entity, no I/O. */
export interface CertificatePdfData {
  /** Shown small at the bottom ("Mã chứng nhận: …"). */
  credentialId: string;
  /** Any Vietnamese name; printed NFC-normalised. */
  holderName: string;
  /** The achievement: a course title or a trainer qualification. */
  title: { vi: string; en: string };
  kind: 'course' | 'trainer';
  hours: number | null;
  /** E.g. "NC1" (Circular 02/2025/TT-BGDĐT level) or a trainer level label. */
  level: string | null;
  cohort?: { title: string; trainerName: string } | null;
  /** E.g. ["TT02:1.1", "TT02:5.4"]. */
  competencies?: string[];
  /** Printed dd/MM/yyyy in Asia/Ho_Chi_Minh; also the PDF CreationDate. */
  issuedOn: Date;
  validUntil: Date | null;
  /** E.g. "Sở Khoa học và Công nghệ tỉnh Thái Nguyên"; also the PDF Author. */
  issuerName: string;
  signatory: { name: string; title: string };
  /** Encoded in the QR code and printed under it. */
  verifyUrl: string;
  /** 'vi' (default): Vietnamese lines with a smaller English line under the main ones; 'en' the other way round. */
  locale?: 'vi' | 'en';
}

type Lang = 'vi' | 'en';

// ---------------------------------------------------------------------------------------------
// Dates (Asia/Ho_Chi_Minh is UTC+7 all year: no DST since 1975, so no Intl/tz data is needed).

const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

function vnParts(d: Date): { day: number; month: number; year: number } {
  const t = new Date(d.getTime() + VN_OFFSET_MS);
  return { day: t.getUTCDate(), month: t.getUTCMonth() + 1, year: t.getUTCFullYear() };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** dd/MM/yyyy of the calendar day in Asia/Ho_Chi_Minh. */
export function formatVnDate(d: Date): string {
  const { day, month, year } = vnParts(d);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * "Thái Nguyên, ngày 05 tháng 02 năm 2026". Decree 30/2020/NĐ-CP: days below 10 and months 1 and 2
 * take a leading zero, other months do not ("tháng 11", "tháng 3").
 */
function placeDateLine(place: string, d: Date, lang: Lang): string {
  const { day, month, year } = vnParts(d);
  if (lang === 'en') return `${place}, ${day} ${EN_MONTHS[month - 1]} ${year}`;
  const mm = month <= 2 ? pad2(month) : String(month);
  return `${place}, ngày ${pad2(day)} tháng ${mm} năm ${year}`;
}

/** "… tỉnh Thái Nguyên" / "… thành phố Hà Nội" → the province; otherwise Thái Nguyên. */
function placeOf(issuerName: string): string {
  const m = /(?:^|\s)(?:tỉnh|thành phố|tp\.?)\s+(.+)$/iu.exec(issuerName.trim());
  return m ? m[1].trim() : 'Thái Nguyên';
}

// ---------------------------------------------------------------------------------------------
// Fonts: Be Vietnam Pro (OFL) from @expo-google-fonts, read once per process.

const FONT_FILES = {
  regular: '400Regular/BeVietnamPro_400Regular.ttf',
  italic: '400Regular_Italic/BeVietnamPro_400Regular_Italic.ttf',
  semibold: '600SemiBold/BeVietnamPro_600SemiBold.ttf',
  bold: '700Bold/BeVietnamPro_700Bold.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

let fontsPromise: Promise<Record<FontName, Buffer>> | undefined;

function loadFonts(): Promise<Record<FontName, Buffer>> {
  if (!fontsPromise) {
    const names = Object.keys(FONT_FILES) as FontName[];
    fontsPromise = Promise.all(
      // `require` is the CommonJS one both under @swc/jest and in dist/ (the build emits CommonJS).
      names.map((n) => readFile(require.resolve(`@expo-google-fonts/be-vietnam-pro/${FONT_FILES[n]}`))),
    ).then(
      (buffers) => Object.fromEntries(names.map((n, i) => [n, buffers[i]])) as Record<FontName, Buffer>,
      (err: unknown) => {
        fontsPromise = undefined; // let a later call retry
        throw err;
      },
    );
  }
  return fontsPromise;
}

// ---------------------------------------------------------------------------------------------
// Wording.

const TEXT = {
  heading: {
    course: { vi: 'CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC', en: 'CERTIFICATE OF COURSE COMPLETION' },
    trainer: { vi: 'CHỨNG NHẬN GIẢNG VIÊN', en: 'TRAINER CERTIFICATE' },
  },
  intro: { vi: 'Chứng nhận', en: 'This certifies that' },
  lead: {
    course: { vi: 'đã hoàn thành khóa học', en: 'has successfully completed the course' },
    trainer: { vi: 'được công nhận là', en: 'is recognised as' },
  },
  level: { vi: 'Cấp độ', en: 'Level' },
  cohort: { vi: 'Lớp', en: 'Cohort' },
  trainer: { vi: 'Giảng viên', en: 'Trainer' },
  competencies: { vi: 'Năng lực số', en: 'Digital competencies' },
  issued: { vi: 'Ngày cấp', en: 'Issued on' },
  validUntil: { vi: 'Có giá trị đến', en: 'Valid until' },
  credential: { vi: 'Mã chứng nhận', en: 'Credential ID' },
} as const;

function hoursText(hours: number, lang: Lang): string {
  const n = Math.round(hours * 10) / 10;
  if (lang === 'en') return `Duration: ${n} ${n === 1 ? 'hour' : 'hours'}`;
  return `Thời lượng: ${String(n).replace('.', ',')} giờ`;
}

const nfc = (s: string): string => s.normalize('NFC').replace(/\s+/gu, ' ').trim();

// ---------------------------------------------------------------------------------------------
// Layout (points; A4 landscape is 841.89 × 595.28).

const PAGE_W = 841.89;
const PAGE_H = 595.28;
const CX = PAGE_W / 2;
const CONTENT_W = 680;
const CONTENT_X = CX - CONTENT_W / 2;

const NAVY = '#15365c';
const GOLD = '#b48a3c';
const INK = '#1f2933';
const MUTED = '#5f6b78';

interface Fitted {
  size: number;
  height: number;
}

interface TextStyle {
  font: FontName;
  max: number;
  min?: number;
  maxLines?: number;
  color?: string;
  spacing?: number;
}

type Doc = PDFKit.PDFDocument;

/**
 * The largest size in [min, max] at which `text` fits one line of `width`; below that, wraps at `min`
 * to at most `maxLines` lines (the rest is cut with an ellipsis).
 */
function fitText(doc: Doc, text: string, width: number, s: TextStyle): Fitted {
  const min = s.min ?? s.max;
  const opts = { characterSpacing: s.spacing ?? 0 };
  doc.font(s.font);
  for (let size = s.max; size >= min; size -= 0.5) {
    doc.fontSize(size);
    if (doc.widthOfString(text, opts) <= width) return { size, height: doc.currentLineHeight(true) };
  }
  doc.fontSize(min);
  const lh = doc.currentLineHeight(true);
  const lines = Math.max(1, Math.min(s.maxLines ?? 1, Math.round(doc.heightOfString(text, { ...opts, width }) / lh)));
  return { size: min, height: lines * lh };
}

function draw(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  s: TextStyle,
  f: Fitted,
  align: 'left' | 'center' | 'right' = 'center',
): void {
  doc
    .font(s.font)
    .fontSize(f.size)
    .fillColor(s.color ?? INK)
    // `height` bounds the text box: pdfkit never adds a page for it, it cuts with the ellipsis.
    .text(text, x, y, {
      width,
      height: f.height + 1,
      align,
      ellipsis: true,
      characterSpacing: s.spacing ?? 0,
      lineGap: 0,
    });
}

/** A centred block of the middle column: measured first, then drawn, so the column can be centred. */
interface Block {
  height: number;
  render(y: number): void;
}

function textBlock(doc: Doc, text: string, s: TextStyle, gapAfter = 0, width = CONTENT_W): Block {
  const f = fitText(doc, text, width, s);
  return { height: f.height + gapAfter, render: (y) => draw(doc, text, CX - width / 2, y, width, s, f) };
}

function ruleBlock(doc: Doc, width: number, gapBefore: number, gapAfter: number): Block {
  return {
    height: gapBefore + gapAfter,
    render: (y) => {
      const ly = y + gapBefore;
      doc
        .moveTo(CX - width / 2, ly)
        .lineTo(CX + width / 2, ly)
        .lineWidth(0.7)
        .strokeColor(GOLD)
        .stroke();
    },
  };
}

function diamond(doc: Doc, x: number, y: number, r: number, color: string): void {
  doc
    .moveTo(x, y - r)
    .lineTo(x + r, y)
    .lineTo(x, y + r)
    .lineTo(x - r, y)
    .closePath()
    .fillColor(color)
    .fill();
}

function drawFrame(doc: Doc): void {
  doc.rect(0, 0, PAGE_W, PAGE_H).fillColor('#fdfbf6').fill();
  doc
    .rect(18, 18, PAGE_W - 36, PAGE_H - 36)
    .lineWidth(3)
    .strokeColor(NAVY)
    .stroke();
  doc
    .rect(25, 25, PAGE_W - 50, PAGE_H - 50)
    .lineWidth(0.8)
    .strokeColor(GOLD)
    .stroke();
  for (const [x, y] of [
    [25, 25],
    [PAGE_W - 25, 25],
    [25, PAGE_H - 25],
    [PAGE_W - 25, PAGE_H - 25],
  ]) {
    diamond(doc, x, y, 5, GOLD);
  }
}

/** Renders the one-page A4-landscape certificate. Same input → same bytes (CreationDate = issuedOn). */
export async function renderCertificatePdf(data: CertificatePdfData): Promise<Buffer> {
  const L: Lang = data.locale ?? 'vi';
  const S: Lang = L === 'vi' ? 'en' : 'vi';
  const holder = nfc(data.holderName);
  const issuer = nfc(data.issuerName);
  const title = { vi: nfc(data.title.vi), en: nfc(data.title.en) };
  const verifyUrl = data.verifyUrl.trim();

  const [fonts, qr] = await Promise.all([
    loadFonts(),
    // Whole pixels per module (scale) keep the edges sharp when the PNG is scaled to 86 pt.
    qrPng(verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 8 }),
  ]);

  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    autoFirstPage: true,
    lang: L === 'vi' ? 'vi-VN' : 'en',
    displayTitle: true,
    info: {
      Title: `${TEXT.heading[data.kind][L]} — ${holder}`,
      Author: issuer,
      Subject: `${title[L] || title[S]} (${data.credentialId})`,
      Keywords: [data.credentialId, ...(data.competencies ?? [])].join(', '),
      Creator: 'Hocso',
      CreationDate: data.issuedOn,
      ModDate: data.issuedOn,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const name of Object.keys(fonts) as FontName[]) doc.registerFont(name, fonts[name]);

  drawFrame(doc);

  // --- Top: issuer, heading, ornament --------------------------------------------------------
  const issuerStyle: TextStyle = { font: 'semibold', max: 11, min: 8, color: NAVY, spacing: 0.3 };
  const issuerCaps = issuer.toLocaleUpperCase('vi');
  draw(doc, issuerCaps, CONTENT_X, 50, CONTENT_W, issuerStyle, fitText(doc, issuerCaps, CONTENT_W, issuerStyle));

  const headingStyle: TextStyle = { font: 'bold', max: 26, min: 18, color: NAVY, spacing: 0.8 };
  const heading = TEXT.heading[data.kind][L];
  draw(doc, heading, CONTENT_X, 74, CONTENT_W, headingStyle, fitText(doc, heading, CONTENT_W, headingStyle));
  const subStyle: TextStyle = { font: 'regular', max: 10.5, color: MUTED, spacing: 0.4 };
  const subHeading = TEXT.heading[data.kind][S];
  draw(doc, subHeading, CONTENT_X, 109, CONTENT_W, subStyle, fitText(doc, subHeading, CONTENT_W, subStyle));

  doc
    .moveTo(CX - 90, 133)
    .lineTo(CX - 9, 133)
    .moveTo(CX + 9, 133)
    .lineTo(CX + 90, 133);
  doc.lineWidth(0.7).strokeColor(GOLD).stroke();
  diamond(doc, CX, 133, 3.5, GOLD);

  // --- Middle: who, what, details (centred vertically between 145 and 405) -----------------
  const small = (font: FontName = 'regular'): TextStyle => ({ font, max: 9, min: 7.5, color: MUTED });
  const blocks: Block[] = [
    textBlock(doc, TEXT.intro[L], { font: 'regular', max: 13, color: INK }),
    textBlock(doc, TEXT.intro[S], small(), 4),
    textBlock(doc, holder, { font: 'bold', max: 34, min: 18, maxLines: 2, color: NAVY }),
    ruleBlock(doc, 260, 3, 10),
    textBlock(doc, TEXT.lead[data.kind][L], { font: 'regular', max: 11.5, color: INK }),
    textBlock(doc, TEXT.lead[data.kind][S], small(), 4),
  ];
  if (title[L]) blocks.push(textBlock(doc, title[L], { font: 'semibold', max: 19, min: 12, maxLines: 2, color: INK }));
  if (title[S] && title[S] !== title[L]) {
    blocks.push(textBlock(doc, title[S], { font: 'regular', max: 11, min: 8.5, maxLines: 2, color: MUTED }));
  }
  blocks.push(ruleBlock(doc, 0, 0, 10));

  const details: string[] = [];
  const first = [
    data.hours != null && Number.isFinite(data.hours) ? hoursText(data.hours, L) : null,
    data.level ? `${TEXT.level[L]}: ${nfc(data.level)}` : null,
  ].filter((x): x is string => !!x);
  if (first.length) details.push(first.join('   ·   '));
  if (data.cohort) {
    details.push(
      `${TEXT.cohort[L]}: ${nfc(data.cohort.title)}   ·   ${TEXT.trainer[L]}: ${nfc(data.cohort.trainerName)}`,
    );
  }
  const comps = (data.competencies ?? []).map((c) => c.trim()).filter(Boolean);
  if (comps.length) details.push(`${TEXT.competencies[L]}: ${comps.join(', ')}`);
  for (const line of details) {
    blocks.push(textBlock(doc, line, { font: 'regular', max: 10.5, min: 8, maxLines: 2, color: INK }, 2));
  }

  const top = 145;
  const bottom = 405;
  const total = blocks.reduce((h, b) => h + b.height, 0);
  let y = top + Math.max(0, (bottom - top - total) / 2);
  for (const b of blocks) {
    b.render(y);
    y += b.height;
  }

  // --- Bottom left: dates and credential id ------------------------------------------------
  const leftX = 62;
  const leftW = 250;
  let ly = 440;
  const leftLine = (text: string, s: TextStyle, gap: number): void => {
    const f = fitText(doc, text, leftW, s);
    draw(doc, text, leftX, ly, leftW, s, f, 'left');
    ly += f.height + gap;
  };
  const issued = formatVnDate(data.issuedOn);
  leftLine(`${TEXT.issued[L]}: ${issued}`, { font: 'semibold', max: 10.5, color: INK }, 0);
  leftLine(`${TEXT.issued[S]}: ${issued}`, small(), 6);
  if (data.validUntil) {
    const until = formatVnDate(data.validUntil);
    leftLine(`${TEXT.validUntil[L]}: ${until}`, { font: 'semibold', max: 10.5, color: INK }, 0);
    leftLine(`${TEXT.validUntil[S]}: ${until}`, small(), 6);
  }
  const credStyle: TextStyle = { font: 'regular', max: 8, min: 6, color: MUTED };
  const cred = `${TEXT.credential[L]} / ${TEXT.credential[S]}: ${data.credentialId}`;
  draw(doc, cred, leftX, 536, leftW + 40, credStyle, fitText(doc, cred, leftW + 40, credStyle), 'left');

  // --- Bottom middle: place/date, signatory ------------------------------------------------
  const sigCx = 470;
  const sigW = 290;
  const sigX = sigCx - sigW / 2;
  const placeLine = placeDateLine(placeOf(issuer), data.issuedOn, L);
  const placeStyle: TextStyle = { font: 'italic', max: 10.5, min: 8.5, color: INK };
  draw(doc, placeLine, sigX, 424, sigW, placeStyle, fitText(doc, placeLine, sigW, placeStyle));
  const sigTitle = nfc(data.signatory.title).toLocaleUpperCase('vi');
  const sigTitleStyle: TextStyle = { font: 'bold', max: 11.5, min: 8.5, color: INK };
  draw(doc, sigTitle, sigX, 442, sigW, sigTitleStyle, fitText(doc, sigTitle, sigW, sigTitleStyle));
  const sigName = nfc(data.signatory.name);
  const sigNameStyle: TextStyle = { font: 'bold', max: 13, min: 9, color: NAVY };
  draw(doc, sigName, sigX, 516, sigW, sigNameStyle, fitText(doc, sigName, sigW, sigNameStyle));

  // --- Bottom right: QR to the verification page, URL under it -----------------------------
  const qrSize = 86;
  const qrColX = 626;
  const qrColW = 170;
  const qrX = qrColX + (qrColW - qrSize) / 2;
  const qrY = 420;
  doc.image(qr, qrX, qrY, { width: qrSize, height: qrSize });
  const urlStyle: TextStyle = { font: 'regular', max: 7, min: 5.5, maxLines: 2, color: MUTED };
  draw(doc, verifyUrl, qrColX, qrY + qrSize + 4, qrColW, urlStyle, fitText(doc, verifyUrl, qrColW, urlStyle));

  doc.end();
  return done;
}
