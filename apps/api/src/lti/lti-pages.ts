import { randomBytes } from 'node:crypto';
import type { PickerCourse } from '@hocso/lti';
import type { FastifyReply } from 'fastify';

/**
 * The few HTML pages of the LTI tool. They are shown inside the LMS's iframe, so they may be framed
 * by any site (they are reachable only with a platform-signed id_token or a single-use token of that
 * launch), are never cached, send no referrer, and run only their own inline script (CSP nonce).
 */

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** JSON safe inside <script>: no "</script>", no line separators. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const newNonce = () => randomBytes(16).toString('base64');

const origin = (url: string) => new URL(url).origin;

function send(reply: FastifyReply, status: number, html: string, csp: string, locale: 'vi' | 'en') {
  reply.raw.removeHeader('X-Frame-Options'); // set by helmet for the api; these pages live in LMS iframes
  reply
    .status(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Language', locale)
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .header('Referrer-Policy', 'no-referrer')
    .header('Content-Security-Policy', csp);
  return html;
}

const baseCsp = (nonce: string) =>
  `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data:; ` +
  `base-uri 'none'; object-src 'none'; frame-ancestors *`;

const STYLE = `body{font-family:system-ui,"Be Vietnam Pro",Arial,sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}
main{max-width:46rem;margin:1rem auto;background:#fff;border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.25rem;margin:0 0 .75rem}fieldset{border:1px solid #d5dbe1;border-radius:.4rem;margin:0 0 .8rem;padding:.6rem .8rem}
legend{font-weight:600}ul{list-style:none;padding-left:1.2rem;margin:.3rem 0}li{margin:.2rem 0}p.s{color:#555;margin:.2rem 0 .4rem}
button{background:#0b5cad;color:#fff;border:0;border-radius:.4rem;padding:.6rem 1.2rem;font-size:1rem}code{color:#8a1c1c}`;

function page(locale: 'vi' | 'en', title: string, nonce: string, body: string, script = ''): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${esc(title)}</title><style nonce="${nonce}">${STYLE}</style></head><body><main>${body}</main>${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>`;
}

/** Resource-link launch: stores the Hocso session for the embed page, then opens it (no token in any URL). */
export function sendLaunchPage(
  reply: FastifyReply,
  input: {
    session: { accessToken: string; refreshToken: string; expiresAt: number };
    targetUrl: string;
    locale: 'vi' | 'en';
  },
) {
  const nonce = newNonce();
  const text = input.locale === 'en' ? 'Opening the lesson…' : 'Đang mở nội dung học…';
  const script =
    `(function(){try{sessionStorage['hocso.session']=JSON.stringify(${scriptJson(input.session)});}catch(e){}` +
    `location.replace(${scriptJson(input.targetUrl)});})();`;
  const html = page(input.locale, 'Học Số', nonce, `<p>${esc(text)}</p>`, script);
  return send(reply, 200, html, `${baseCsp(nonce)}; form-action 'none'`, input.locale);
}

const T = {
  vi: {
    title: 'Chọn nội dung Học Số',
    intro: 'Chọn khóa học hoặc bài học để thêm vào lớp của bạn.',
    wholeCourse: 'Cả khóa học',
    lesson: 'Bài',
    gradable: 'Gửi điểm về sổ điểm khi người học hoàn thành (thang 100)',
    submit: 'Thêm vào lớp học',
    empty: 'Chưa có khóa học nào được phát hành.',
  },
  en: {
    title: 'Choose Hocso content',
    intro: 'Choose a course or lessons to add to your class.',
    wholeCourse: 'Whole course',
    lesson: 'Lesson',
    gradable: 'Send a grade to the gradebook when the learner completes (out of 100)',
    submit: 'Add to the class',
    empty: 'No course is published yet.',
  },
};

/** Deep-linking picker: published courses and their lessons; posts only the session token and the choices. */
export function sendPickerPage(
  reply: FastifyReply,
  input: {
    action: string;
    sessionToken: string;
    courses: PickerCourse[];
    acceptMultiple: boolean;
    acceptLineItem: boolean;
    locale: 'vi' | 'en';
  },
) {
  const nonce = newNonce();
  const t = T[input.locale];
  const type = input.acceptMultiple ? 'checkbox' : 'radio';
  const courses = input.courses
    .map((c) => {
      const lessons = c.lessons
        .map(
          (l) =>
            `<li><label><input type="${type}" name="item" value="lesson:${esc(l.id)}"> ${esc(t.lesson)}: ${esc(l.title[input.locale] || l.title.vi)}</label></li>`,
        )
        .join('');
      return `<fieldset><legend>${esc(c.title[input.locale] || c.title.vi)}</legend><p class="s">${esc(c.summary[input.locale] || c.summary.vi)}</p><ul><li><label><input type="${type}" name="item" value="course:${esc(c.slug)}"> <strong>${esc(t.wholeCourse)}</strong></label></li>${lessons}</ul></fieldset>`;
    })
    .join('');
  const gradable = input.acceptLineItem
    ? `<p><label><input type="checkbox" name="gradable" value="1" checked> ${esc(t.gradable)}</label></p>`
    : '';
  const body = `<h1>${esc(t.title)}</h1><p>${esc(t.intro)}</p><form method="post" action="${esc(input.action)}"><input type="hidden" name="token" value="${esc(input.sessionToken)}">${courses || `<p>${esc(t.empty)}</p>`}${gradable}<p><button type="submit">${esc(t.submit)}</button></p></form>`;
  const html = page(input.locale, t.title, nonce, body);
  return send(reply, 200, html, `${baseCsp(nonce)}; form-action ${origin(input.action)}`, input.locale);
}

/** Deep-linking response: auto-POSTs the signed JWT (field `JWT`) to the platform's return URL. */
export function sendAutoPostPage(reply: FastifyReply, input: { returnUrl: string; jwt: string; locale: 'vi' | 'en' }) {
  const nonce = newNonce();
  const label = input.locale === 'en' ? 'Continue' : 'Tiếp tục';
  const body = `<form id="f" method="post" action="${esc(input.returnUrl)}"><input type="hidden" name="JWT" value="${esc(input.jwt)}"><noscript><button type="submit">${esc(label)}</button></noscript></form>`;
  const html = page(input.locale, 'Học Số', nonce, body, `document.getElementById('f').submit();`);
  return send(reply, 200, html, `${baseCsp(nonce)}; form-action ${origin(input.returnUrl)}`, input.locale);
}

/** A rejected launch shown to a person (browsers asking for HTML); machines get problem+json. */
export function sendErrorPage(
  reply: FastifyReply,
  input: { status: number; code: string; message: string; requestId: string; locale: 'vi' | 'en' },
) {
  const nonce = newNonce();
  const title = input.locale === 'en' ? 'The content could not be opened' : 'Không mở được nội dung';
  const ref = input.locale === 'en' ? 'Reference' : 'Mã tham chiếu';
  const body = `<h1>${esc(title)}</h1><p>${esc(input.message)}</p><p><small>${esc(ref)}: <code>${esc(input.code)}</code> · ${esc(input.requestId)}</small></p>`;
  return send(
    reply,
    input.status,
    page(input.locale, title, nonce, body),
    `${baseCsp(nonce)}; form-action 'none'`,
    input.locale,
  );
}
