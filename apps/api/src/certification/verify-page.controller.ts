import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type CertificateView, CertificatesService, formatVnDate, type VerificationResult } from '@hocso/certification';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/auth/auth.decorators';
import { localeFrom } from '../http/locale';

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const T = {
  vi: {
    title: 'Xác minh chứng nhận',
    holder: 'Người được cấp',
    achievement: 'Nội dung',
    hours: 'Thời lượng',
    hoursUnit: 'giờ',
    level: 'Cấp độ',
    issued: 'Ngày cấp',
    validUntil: 'Có giá trị đến',
    issuer: 'Đơn vị cấp',
    id: 'Mã chứng nhận',
    checks: 'Các bước kiểm tra',
    status: { active: 'Hợp lệ', revoked: 'Đã bị thu hồi', expired: 'Đã hết hạn' },
    invalid: 'Chứng nhận không vượt qua kiểm tra',
    notFound: 'Không tìm thấy chứng nhận với mã này.',
    other: 'English',
  },
  en: {
    title: 'Certificate verification',
    holder: 'Awarded to',
    achievement: 'Achievement',
    hours: 'Duration',
    hoursUnit: 'hours',
    level: 'Level',
    issued: 'Issued on',
    validUntil: 'Valid until',
    issuer: 'Issuer',
    id: 'Certificate id',
    checks: 'Checks',
    status: { active: 'Valid', revoked: 'Revoked', expired: 'Expired' },
    invalid: 'The certificate did not pass verification',
    notFound: 'No certificate has this id.',
    other: 'Tiếng Việt',
  },
};

const STYLE = `body{font-family:system-ui,"Be Vietnam Pro",Arial,sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}
main{max-width:40rem;margin:1rem auto;background:#fff;border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.3rem;margin:0 0 .75rem}.badge{display:inline-block;padding:.35rem .7rem;border-radius:1rem;font-weight:600}
.active{background:#e3f6e8;color:#14632b}.revoked,.invalid{background:#fde8e8;color:#8a1c1c}.expired{background:#fff4d6;color:#7a5400}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{color:#555}dd{margin:0;font-weight:500}
ul{padding-left:1.2rem}li.fail{color:#8a1c1c}small{color:#666}a{color:#0b5cad}`;

export function renderVerifyPage(
  found: { view: CertificateView; verification: VerificationResult } | null,
  locale: 'vi' | 'en',
  issuerName: string,
  selfUrl: string,
): string {
  const t = T[locale];
  const other = locale === 'vi' ? 'en' : 'vi';
  const head = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(t.title)}</title><style>${STYLE}</style></head><body><main>`;
  const foot = `<p><small><a href="${esc(selfUrl)}?lang=${other}">${esc(t.other)}</a></small></p></main></body></html>`;
  if (!found) return `${head}<h1>${esc(t.title)}</h1><p>${esc(t.notFound)}</p>${foot}`;
  const { view, verification } = found;
  const c = view.certificate;
  const state = verification.verified ? view.status : view.status === 'active' ? 'invalid' : view.status;
  const label = state === 'invalid' ? t.invalid : t.status[state];
  const rows: Array<[string, string]> = [
    [t.holder, view.holderName],
    [t.achievement, locale === 'vi' ? c.titleVi : c.titleEn],
    ...(c.hours !== null ? ([[t.hours, `${c.hours} ${t.hoursUnit}`]] as Array<[string, string]>) : []),
    ...(c.level ? ([[t.level, c.level]] as Array<[string, string]>) : []),
    [t.issued, formatVnDate(new Date(c.validFrom))],
    ...(c.validUntil ? ([[t.validUntil, formatVnDate(new Date(c.validUntil))]] as Array<[string, string]>) : []),
    [t.issuer, issuerName],
    [t.id, c.id],
  ];
  return `${head}<h1>${esc(t.title)}</h1><p><span class="badge ${state}">${esc(label)}</span></p>
<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
<h2 style="font-size:1rem">${esc(t.checks)}</h2><ul>${verification.checks
    .map((ch) => `<li class="${ch.passed ? 'ok' : 'fail'}">${ch.passed ? '✔' : '✘'} ${esc(ch.message[locale])}</li>`)
    .join('')}</ul>${foot}`;
}

/** GET /verify/{id}: the page the certificate's QR code opens (Vietnamese; ?lang=en for English). */
@ApiTags('certificates')
@Controller('verify')
export class VerifyPageController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get(':id')
  @Public()
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Public verification page (the QR code target): what the certificate says and its status' })
  async page(
    @Param('id') id: string,
    @Query('lang') lang: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const locale = lang === 'en' || lang === 'vi' ? lang : localeFrom(reply.request.headers['accept-language']);
    const found = await this.certificates.verifyPage(id);
    reply.status(found ? 200 : 404);
    reply.header('Content-Type', 'text/html; charset=utf-8');
    reply.header('Content-Language', locale);
    reply.header('Cache-Control', 'no-store');
    return renderVerifyPage(found, locale, this.certificates.issuerName, `/verify/${encodeURIComponent(id)}`);
  }
}
