import { css, html, nothing } from 'lit';
import { ApiError, api, loadMe, signOut } from '../api';
import { fmtDateTime, type Lang, register, setLang, t } from '../i18n';
import { navigate } from '../router';
import { field, fieldErrors, focusFirstInvalid } from '../ui/learner/form';
import { errorText, errorView, loadingView, saveBlob } from '../ui/learner/status';
import { Page } from '../ui/page';
import { base } from '../ui/styles';

register(
  {
    'acc.title': 'Tài khoản của tôi',
    'acc.profile': 'Thông tin cá nhân',
    'acc.fullName': 'Họ và tên',
    'acc.birthYear': 'Năm sinh (không bắt buộc)',
    'acc.language': 'Ngôn ngữ',
    'acc.vi': 'Tiếng Việt',
    'acc.en': 'English',
    'acc.contact': 'Đăng nhập bằng: {value}',
    'acc.save': 'Lưu thông tin',
    'acc.saved': 'Đã lưu thông tin.',
    'acc.consents': 'Đồng ý sử dụng dữ liệu',
    'acc.consentsHint': 'Mỗi mục được lưu ngay khi bạn thay đổi. Bạn có thể rút lại bất cứ lúc nào.',
    'acc.consent.learning': 'Lưu kết quả học tập để tổ chức khóa học và cấp chứng nhận',
    'acc.consent.statistics': 'Tính tiến độ của tôi (đã ẩn danh) vào thống kê kỹ năng số của tỉnh',
    'acc.consent.notifications': 'Gửi cho tôi nhắc nhở và tin tức',
    'acc.consent.share_with_organisation': 'Cho giảng viên hoặc nơi làm việc của tôi xem tiến độ học',
    'acc.consentSaved': 'Đã lưu lựa chọn.',
    'acc.recorded': 'Ghi nhận lúc {date}',
    'acc.export': 'Tải dữ liệu của tôi',
    'acc.exportHint': 'Toàn bộ dữ liệu Học Số lưu về bạn, dạng tệp JSON.',
    'acc.exportButton': 'Tải dữ liệu (JSON)',
    'acc.exported': 'Đã tải dữ liệu.',
    'acc.delete': 'Xóa tài khoản',
    'acc.deleteHint':
      'Xóa vĩnh viễn thông tin cá nhân, tiến độ học và chứng nhận của bạn. Không thể hoàn tác. Chỉ còn lại các số liệu thống kê ẩn danh.',
    'acc.deleteStart': 'Tôi muốn xóa tài khoản',
    'acc.deletePassword': 'Nhập mật khẩu để xác nhận',
    'acc.deleteConfirmCheck': 'Tôi hiểu rằng tài khoản và dữ liệu sẽ bị xóa vĩnh viễn',
    'acc.deleteConfirm': 'Xóa vĩnh viễn tài khoản',
    'acc.cancel': 'Hủy',
    'acc.required': 'Vui lòng nhập thông tin này.',
    'acc.mustConfirm': 'Vui lòng đánh dấu xác nhận.',
  },
  {
    'acc.title': 'My account',
    'acc.profile': 'Profile',
    'acc.fullName': 'Full name',
    'acc.birthYear': 'Year of birth (optional)',
    'acc.language': 'Language',
    'acc.vi': 'Tiếng Việt',
    'acc.en': 'English',
    'acc.contact': 'Signs in with: {value}',
    'acc.save': 'Save',
    'acc.saved': 'Saved.',
    'acc.consents': 'Use of your data',
    'acc.consentsHint': 'Each choice is saved as soon as you change it. You can withdraw at any time.',
    'acc.consent.learning': 'Keep my learning records to run courses and certificates',
    'acc.consent.statistics': 'Count my progress, anonymised, in the province’s digital-skills statistics',
    'acc.consent.notifications': 'Send me reminders and news',
    'acc.consent.share_with_organisation': 'Let my trainer or employer see my progress',
    'acc.consentSaved': 'Choice saved.',
    'acc.recorded': 'Recorded {date}',
    'acc.export': 'Download my data',
    'acc.exportHint': 'Everything Học Số holds about you, as a JSON file.',
    'acc.exportButton': 'Download data (JSON)',
    'acc.exported': 'Your data was downloaded.',
    'acc.delete': 'Delete my account',
    'acc.deleteHint':
      'Permanently erases your personal data, learning progress and certificates. This cannot be undone. Only anonymous statistics remain.',
    'acc.deleteStart': 'I want to delete my account',
    'acc.deletePassword': 'Enter your password to confirm',
    'acc.deleteConfirmCheck': 'I understand my account and data will be erased for ever',
    'acc.deleteConfirm': 'Delete my account for ever',
    'acc.cancel': 'Cancel',
    'acc.required': 'Please fill this in.',
    'acc.mustConfirm': 'Please tick to confirm.',
  },
);

interface Profile {
  id: string;
  fullName: string;
  email: string | null;
  phoneDisplay: string | null;
  locale: Lang;
  birthYear: number | null;
}
interface Consent {
  purpose: string;
  granted: boolean;
  recordedAt: string | null;
}

export class AccountPage extends Page {
  static override styles = [
    base,
    css`
      section {
        margin: 0 0 1.5rem;
      }
      form {
        max-width: 32rem;
      }
      .danger {
        border-color: var(--hc-error);
      }
      button.danger-button {
        background: var(--hc-error);
        border-color: var(--hc-error);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin-top: 1rem;
      }
    `,
  ];

  private me: Profile | null = null;
  private consents: Consent[] = [];
  private error: unknown = null;
  private errors: Record<string, string> = {};
  private profileMsg = '';
  private consentMsg = '';
  private exportMsg = '';
  private deleting = false;
  private deleteErrors: Record<string, string> = {};
  private deleteMsg = '';
  private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.error = null;
    this.me = null;
    this.requestUpdate();
    try {
      const [me, consents] = await Promise.all([api.get<Profile>('/v1/me'), api.get<Consent[]>('/v1/me/consents')]);
      this.me = me;
      this.consents = consents;
    } catch (err) {
      this.error = err;
    }
    this.requestUpdate();
  }

  private async saveProfile(e: Event) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const fullName = String(data.get('fullName') ?? '').trim();
    const birth = String(data.get('birthYear') ?? '').trim();
    const locale = String(data.get('locale') ?? 'vi') as Lang;
    this.errors = {};
    this.profileMsg = '';
    if (!fullName) this.errors.fullName = t('acc.required');
    if (!Object.keys(this.errors).length) {
      try {
        this.me = await api.patch<Profile>('/v1/me', { fullName, locale, birthYear: birth ? Number(birth) : null });
        setLang(locale);
        await loadMe();
        this.profileMsg = t('acc.saved');
      } catch (err) {
        this.errors = fieldErrors(err);
        if (!Object.keys(this.errors).length) this.profileMsg = errorText(err);
      }
    }
    this.requestUpdate();
    await this.updateComplete;
    focusFirstInvalid(this.renderRoot);
  }

  private async setConsent(purpose: string, input: HTMLInputElement) {
    this.consentMsg = '';
    try {
      this.consents = await api.put<Consent[]>(`/v1/me/consents/${purpose}`, { granted: input.checked });
      this.consentMsg = t('acc.consentSaved');
    } catch (err) {
      input.checked = !input.checked;
      this.consentMsg = errorText(err);
    }
    this.requestUpdate();
  }

  private async exportData() {
    this.exportMsg = '';
    try {
      const data = await api.get<unknown>('/v1/me/export');
      saveBlob(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }), 'hocso-du-lieu-cua-toi.json');
      this.exportMsg = t('acc.exported');
    } catch (err) {
      this.exportMsg = errorText(err);
    }
    this.requestUpdate();
  }

  private async erase(e: Event) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const password = String(data.get('deletePassword') ?? '');
    const confirmed = data.get('deleteConfirm') === 'on';
    this.deleteErrors = {};
    this.deleteMsg = '';
    if (!confirmed) this.deleteErrors.confirm = t('acc.mustConfirm');
    if (!Object.keys(this.deleteErrors).length) {
      this.busy = true;
      this.requestUpdate();
      try {
        await api.del('/v1/me', password ? { password } : { confirm: true });
        await signOut();
        navigate('/', true);
        return;
      } catch (err) {
        this.deleteErrors = fieldErrors(err, { password: 'deletePassword', confirm: 'deletePassword' });
        if (
          err instanceof ApiError &&
          !Object.keys(this.deleteErrors).length &&
          (err.status === 401 || err.status === 403)
        )
          this.deleteErrors.deletePassword = err.message;
        if (!Object.keys(this.deleteErrors).length) this.deleteMsg = errorText(err);
      }
      this.busy = false;
    }
    this.requestUpdate();
    await this.updateComplete;
    focusFirstInvalid(this.renderRoot);
  }

  private deleteSection() {
    return html`<section class="card danger" aria-labelledby="del-h">
      <h2 id="del-h">${t('acc.delete')}</h2>
      <p>${t('acc.deleteHint')}</p>
      ${
        !this.deleting
          ? html`<button type="button" class="secondary" @click=${async () => {
              this.deleting = true;
              this.requestUpdate();
              await this.updateComplete;
              this.renderRoot.querySelector<HTMLInputElement>('#deletePassword')?.focus();
            }}>${t('acc.deleteStart')}</button>`
          : html`<form @submit=${this.erase} novalidate>
              <div role="alert">${this.deleteMsg ? html`<p class="error">${this.deleteMsg}</p>` : nothing}</div>
              ${field({
                id: 'deletePassword',
                label: t('acc.deletePassword'),
                type: 'password',
                autocomplete: 'current-password',
                error: this.deleteErrors.deletePassword,
              })}
              <div class="check">
                <input type="checkbox" id="deleteConfirm" name="deleteConfirm"
                  aria-invalid=${this.deleteErrors.confirm ? 'true' : 'false'}
                  aria-describedby=${this.deleteErrors.confirm ? 'deleteConfirm-error' : nothing} />
                <label for="deleteConfirm">${t('acc.deleteConfirmCheck')}</label>
              </div>
              ${this.deleteErrors.confirm ? html`<p id="deleteConfirm-error" class="error">${this.deleteErrors.confirm}</p>` : nothing}
              <div class="actions">
                <button type="submit" class="danger-button" ?disabled=${this.busy}>${t('acc.deleteConfirm')}</button>
                <button type="button" class="secondary" @click=${() => {
                  this.deleting = false;
                  this.deleteErrors = {};
                  this.requestUpdate();
                }}>${t('acc.cancel')}</button>
              </div>
            </form>`
      }
    </section>`;
  }

  override render() {
    this.setTitle(t('acc.title'));
    if (this.error) return html`<h1>${t('acc.title')}</h1>${errorView(this.error, () => this.load())}`;
    const me = this.me;
    if (!me) return html`<h1>${t('acc.title')}</h1>${loadingView()}`;
    return html`<h1>${t('acc.title')}</h1>
      <section class="card" aria-labelledby="profile-h">
        <h2 id="profile-h">${t('acc.profile')}</h2>
        <p class="muted">${t('acc.contact', { value: me.email ?? me.phoneDisplay ?? '' })}</p>
        <form @submit=${this.saveProfile} novalidate>
          ${field({ id: 'fullName', label: t('acc.fullName'), value: me.fullName, error: this.errors.fullName, autocomplete: 'name' })}
          ${field({
            id: 'birthYear',
            label: t('acc.birthYear'),
            value: me.birthYear ? String(me.birthYear) : '',
            error: this.errors.birthYear,
            inputmode: 'numeric',
          })}
          <label for="locale">${t('acc.language')}</label>
          <select id="locale" name="locale">
            <option value="vi" ?selected=${me.locale === 'vi'}>${t('acc.vi')}</option>
            <option value="en" ?selected=${me.locale === 'en'}>${t('acc.en')}</option>
          </select>
          <div class="actions"><button type="submit">${t('acc.save')}</button></div>
          <p role="status">${this.profileMsg}</p>
        </form>
      </section>
      <section class="card" aria-labelledby="consent-h">
        <h2 id="consent-h">${t('acc.consents')}</h2>
        <p class="muted">${t('acc.consentsHint')}</p>
        ${this.consents.map(
          (c) => html`<div class="check">
              <input type="checkbox" id="consent-${c.purpose}" .checked=${c.granted}
                aria-describedby=${c.recordedAt ? `consent-${c.purpose}-at` : nothing}
                @change=${(e: Event) => this.setConsent(c.purpose, e.target as HTMLInputElement)} />
              <label for="consent-${c.purpose}">${t(`acc.consent.${c.purpose}`)}</label>
            </div>
            ${c.recordedAt ? html`<p id="consent-${c.purpose}-at" class="muted">${t('acc.recorded', { date: fmtDateTime(c.recordedAt) })}</p>` : nothing}`,
        )}
        <p role="status">${this.consentMsg}</p>
      </section>
      <section class="card" aria-labelledby="export-h">
        <h2 id="export-h">${t('acc.export')}</h2>
        <p>${t('acc.exportHint')}</p>
        <button type="button" class="secondary" @click=${this.exportData}>${t('acc.exportButton')}</button>
        <p role="status">${this.exportMsg}</p>
      </section>
      ${this.deleteSection()}`;
  }
}

customElements.define('hc-account-page', AccountPage);
