import { css, html, nothing } from 'lit';
import { api } from '../api';
import { fmtDate, fmtNumber, pick, register, t } from '../i18n';
import { errorText, errorView, isOffline, loadingView, saveBlob } from '../ui/learner/status';
import type { Certificate } from '../ui/learner/types';
import '../offline/progress-queue';
import { Page } from '../ui/page';
import { base } from '../ui/styles';

register(
  {
    'cert.title': 'Chứng nhận của tôi',
    'cert.none': 'Bạn chưa có chứng nhận nào. Hoàn thành một khóa học để nhận chứng nhận.',
    'cert.pending': 'Chứng nhận được cấp trong ít phút sau khi bạn hoàn thành khóa học.',
    'cert.refresh': 'Tải lại danh sách',
    'cert.status.active': 'Còn hiệu lực',
    'cert.status.revoked': 'Đã thu hồi',
    'cert.status.expired': 'Hết hạn',
    'cert.status': 'Trạng thái: {status}',
    'cert.issued': 'Ngày cấp: {date}',
    'cert.validUntil': 'Hiệu lực đến: {date}',
    'cert.noExpiry': 'Không thời hạn',
    'cert.hours': 'Số giờ học: {n}',
    'cert.pdf': 'Tải PDF',
    'cert.pdfLabel': 'Tải PDF: {title}',
    'cert.downloading': 'Đang tải…',
    'cert.verify': 'Trang xác minh',
    'cert.verifyLabel': 'Trang xác minh: {title}',
    'cert.share': 'Chia sẻ hồ sơ công khai',
    'cert.shareLabel': 'Cho mọi người xem các chứng nhận còn hiệu lực của tôi qua một đường dẫn công khai',
    'cert.shareOn': 'Hồ sơ công khai đang bật.',
    'cert.shareOff': 'Hồ sơ công khai đang tắt.',
    'cert.shareLink': 'Đường dẫn hồ sơ công khai',
  },
  {
    'cert.title': 'My certificates',
    'cert.none': 'You have no certificate yet. Complete a course to receive one.',
    'cert.pending': 'A certificate is issued a few minutes after you complete a course.',
    'cert.refresh': 'Reload the list',
    'cert.status.active': 'Valid',
    'cert.status.revoked': 'Revoked',
    'cert.status.expired': 'Expired',
    'cert.status': 'Status: {status}',
    'cert.issued': 'Issued: {date}',
    'cert.validUntil': 'Valid until: {date}',
    'cert.noExpiry': 'No expiry',
    'cert.hours': 'Learning hours: {n}',
    'cert.pdf': 'Download PDF',
    'cert.pdfLabel': 'Download PDF: {title}',
    'cert.downloading': 'Downloading…',
    'cert.verify': 'Verification page',
    'cert.verifyLabel': 'Verification page: {title}',
    'cert.share': 'Share a public profile',
    'cert.shareLabel': 'Let anyone see my valid certificates through a public link',
    'cert.shareOn': 'Your public profile is on.',
    'cert.shareOff': 'Your public profile is off.',
    'cert.shareLink': 'Public profile link',
  },
);

interface PublicProfile {
  enabled: boolean;
  handle: string | null;
  url: string | null;
}

/** My certificates: PDF (fetched with the token), verify link, public-profile toggle. */
export class CertificatesPage extends Page {
  static override styles = [
    base,
    css`
      ul.list {
        list-style: none;
        padding: 0;
        display: grid;
        gap: 1rem;
      }
      h2 {
        margin-top: 0;
        font-size: 1.1rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
      .facts {
        list-style: none;
        padding: 0;
        margin: 0 0 0.75rem;
      }
      .share {
        display: flex;
        gap: 0.5rem;
        align-items: flex-start;
      }
      .share input {
        width: 1.4rem;
        min-height: 1.4rem;
        margin: 0.7rem 0 0;
        flex: none;
      }
      .share label {
        font-weight: 400;
        margin: 0;
        padding: 0.55rem 0;
      }
      .badge {
        font-weight: 600;
      }
      .revoked,
      .expired {
        color: var(--hc-error);
      }
    `,
  ];

  private items: Certificate[] | null = null;
  private profile: PublicProfile | null = null;
  private error: unknown = null;
  private message = '';
  private busy = new Set<string>();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.error = null;
    this.items = null;
    this.requestUpdate();
    try {
      const [items, profile] = await Promise.all([
        api.get<Certificate[]>('/v1/me/certificates'),
        api.get<PublicProfile>('/v1/me/public-profile').catch(() => null),
      ]);
      this.items = items;
      this.profile = profile;
    } catch (err) {
      this.error = err;
    }
    this.requestUpdate();
  }

  /** The PDF needs the Bearer token: fetched as a Blob and saved under its name. */
  private async pdf(c: Certificate) {
    this.busy.add(c.id);
    this.message = '';
    this.requestUpdate();
    try {
      await api.get('/v1/me'); // refreshes an expired access token first
      const raw = localStorage.getItem('hocso.session');
      const token = raw ? (JSON.parse(raw) as { accessToken: string }).accessToken : '';
      const lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
      const res = await fetch(`/v1/certificates/${c.id}.pdf?lang=${lang}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/pdf' },
      });
      if (!res.ok) throw new Error(String(res.status));
      saveBlob(await res.blob(), `chung-nhan-${c.id}.pdf`);
    } catch (err) {
      this.message = isOffline(err) || err instanceof TypeError ? t('common.offlineError') : errorText(err);
    }
    this.busy.delete(c.id);
    this.requestUpdate();
  }

  private async toggleShare(e: Event) {
    const input = e.target as HTMLInputElement;
    this.message = '';
    try {
      this.profile = await api.put<PublicProfile>('/v1/me/public-profile', { enabled: input.checked });
    } catch (err) {
      input.checked = !input.checked;
      this.message = errorText(err);
    }
    this.requestUpdate();
  }

  private card(c: Certificate) {
    const title = pick(c.title);
    const verify = new URL(c.verifyUrl, location.origin);
    const verifyHref = verify.origin === location.origin ? verify.pathname : c.verifyUrl;
    return html`<li class="card">
      <h2>${title}</h2>
      <ul class="facts">
        <li><span class="badge ${c.status}">${t('cert.status', { status: t(`cert.status.${c.status}`) })}</span></li>
        <li>${t('cert.issued', { date: fmtDate(c.validFrom) })}</li>
        <li>${t('cert.validUntil', { date: c.validUntil ? fmtDate(c.validUntil) : t('cert.noExpiry') })}</li>
        ${c.hours ? html`<li>${t('cert.hours', { n: fmtNumber(c.hours, 1) })}</li>` : nothing}
      </ul>
      <div class="actions">
        <button type="button" @click=${() => this.pdf(c)} ?disabled=${this.busy.has(c.id)}
          aria-label=${t('cert.pdfLabel', { title })}>
          ${this.busy.has(c.id) ? t('cert.downloading') : t('cert.pdf')}
        </button>
        <a href=${verifyHref} aria-label=${t('cert.verifyLabel', { title })}>${t('cert.verify')}</a>
      </div>
    </li>`;
  }

  private share() {
    const p = this.profile;
    if (!p) return nothing;
    const href = p.url ?? '';
    return html`<section class="card" aria-labelledby="share-h">
      <h2 id="share-h">${t('cert.share')}</h2>
      <div class="share">
        <input type="checkbox" id="share" .checked=${p.enabled} @change=${this.toggleShare} />
        <label for="share">${t('cert.shareLabel')}</label>
      </div>
      <p role="status">${p.enabled ? t('cert.shareOn') : t('cert.shareOff')}</p>
      ${p.enabled && href ? html`<p>${t('cert.shareLink')}: <a href=${href}>${href}</a></p>` : nothing}
    </section>`;
  }

  override render() {
    this.setTitle(t('cert.title'));
    if (this.error) return html`<h1>${t('cert.title')}</h1>${errorView(this.error, () => this.load())}`;
    if (!this.items) return html`<h1>${t('cert.title')}</h1>${loadingView()}`;
    return html`<h1>${t('cert.title')}</h1>
      <div role="alert">${this.message ? html`<p class="error">${this.message}</p>` : nothing}</div>
      ${
        this.items.length
          ? html`<ul class="list">${this.items.map((c) => this.card(c))}</ul>`
          : html`<p>${t('cert.none')}</p>`
      }
      <p class="muted">${t('cert.pending')}</p>
      <button type="button" class="secondary" @click=${() => this.load()}>${t('cert.refresh')}</button>
      ${this.share()}`;
  }
}

customElements.define('hc-certificates-page', CertificatesPage);
