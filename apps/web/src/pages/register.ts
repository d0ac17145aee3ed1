import { css, html, nothing } from 'lit';
import { api, signIn } from '../api';
import { lang, register, t } from '../i18n';
import { navigate } from '../router';
import { field, fieldErrors, focusFirstInvalid } from '../ui/learner/form';
import { errorText, safeNext } from '../ui/learner/status';
import { Page } from '../ui/page';
import { base } from '../ui/styles';

register(
  {
    'reg.title': 'Đăng ký tài khoản',
    'reg.intro': 'Miễn phí. Bạn có thể dùng email hoặc số điện thoại di động.',
    'reg.fullName': 'Họ và tên',
    'reg.identifier': 'Email hoặc số điện thoại',
    'reg.identifierHint': 'Ví dụ: mai.nguyen@example.vn hoặc 0912 345 678',
    'reg.password': 'Mật khẩu',
    'reg.passwordHint': 'Ít nhất 8 ký tự.',
    'reg.consents': 'Đồng ý sử dụng dữ liệu',
    'reg.consentsHint': 'Bạn có thể thay đổi các lựa chọn này bất cứ lúc nào trong trang Tài khoản.',
    'reg.consent.learning':
      'Tôi đồng ý để Học Số lưu kết quả học tập để tổ chức khóa học và cấp chứng nhận (bắt buộc).',
    'reg.consent.statistics': 'Tính tiến độ của tôi (đã ẩn danh) vào thống kê kỹ năng số của tỉnh.',
    'reg.consent.notifications': 'Gửi cho tôi nhắc nhở và tin tức.',
    'reg.consent.share_with_organisation': 'Cho giảng viên hoặc nơi làm việc của tôi xem tiến độ học.',
    'reg.required': 'Vui lòng nhập thông tin này.',
    'reg.short': 'Mật khẩu cần ít nhất 8 ký tự.',
    'reg.learningRequired': 'Cần đồng ý mục này để học và nhận chứng nhận.',
    'reg.submit': 'Tạo tài khoản',
    'reg.submitting': 'Đang tạo tài khoản…',
    'reg.hasAccount': 'Đã có tài khoản?',
    'reg.login': 'Đăng nhập',
    'reg.fix': 'Vui lòng sửa các mục được đánh dấu.',
  },
  {
    'reg.title': 'Create an account',
    'reg.intro': 'Free. Use your e-mail or your mobile number.',
    'reg.fullName': 'Full name',
    'reg.identifier': 'E-mail or phone number',
    'reg.identifierHint': 'For example: mai.nguyen@example.vn or 0912 345 678',
    'reg.password': 'Password',
    'reg.passwordHint': 'At least 8 characters.',
    'reg.consents': 'Use of your data',
    'reg.consentsHint': 'You can change these choices at any time on the Account page.',
    'reg.consent.learning': 'I agree that Học Số keeps my learning records to run courses and certificates (required).',
    'reg.consent.statistics': 'Count my progress, anonymised, in the province’s digital-skills statistics.',
    'reg.consent.notifications': 'Send me reminders and news.',
    'reg.consent.share_with_organisation': 'Let my trainer or employer see my progress.',
    'reg.required': 'Please fill this in.',
    'reg.short': 'The password needs at least 8 characters.',
    'reg.learningRequired': 'This is needed to learn and receive certificates.',
    'reg.submit': 'Create account',
    'reg.submitting': 'Creating your account…',
    'reg.hasAccount': 'Already have an account?',
    'reg.login': 'Sign in',
    'reg.fix': 'Please correct the marked fields.',
  },
);

const PURPOSES = ['learning', 'statistics', 'notifications', 'share_with_organisation'] as const;

export class RegisterPage extends Page {
  static override styles = [
    base,
    css`
      form {
        max-width: 32rem;
      }
      fieldset {
        border: 1px solid var(--hc-border);
        border-radius: 8px;
        margin: 1rem 0;
        padding: 0.5rem 0.75rem;
      }
      legend {
        font-weight: 600;
      }
    `,
  ];

  private errors: Record<string, string> = {};
  private message = '';
  private busy = false;
  private values = { fullName: '', identifier: '' };
  private consents: Record<string, boolean> = {};

  private async submit(e: Event) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const fullName = String(data.get('fullName') ?? '').trim();
    const identifier = String(data.get('identifier') ?? '').trim();
    const password = String(data.get('password') ?? '');
    this.values = { fullName, identifier };
    for (const p of PURPOSES) this.consents[p] = data.get(`consent-${p}`) === 'on';
    this.errors = {};
    this.message = '';
    if (!fullName) this.errors.fullName = t('reg.required');
    if (!identifier) this.errors.identifier = t('reg.required');
    if (password.length < 8) this.errors.password = password ? t('reg.short') : t('reg.required');
    if (!this.consents.learning) this.errors['consents.learning'] = t('reg.learningRequired');
    if (!Object.keys(this.errors).length) {
      this.busy = true;
      this.requestUpdate();
      const isEmail = identifier.includes('@');
      try {
        await api.post('/v1/auth/register', {
          fullName,
          ...(isEmail ? { email: identifier } : { phone: identifier }),
          password,
          locale: lang(),
          consents: Object.fromEntries(PURPOSES.map((p) => [p, this.consents[p]])),
        });
        await signIn(identifier, password);
        navigate(safeNext(new URLSearchParams(location.search).get('next')), true);
        return;
      } catch (err) {
        this.errors = fieldErrors(err, { email: 'identifier', phone: 'identifier', consents: 'consents.learning' });
        this.message = Object.keys(this.errors).length ? t('reg.fix') : errorText(err);
      }
      this.busy = false;
    } else this.message = t('reg.fix');
    this.requestUpdate();
    await this.updateComplete;
    focusFirstInvalid(this.renderRoot);
  }

  override render() {
    this.setTitle(t('reg.title'));
    const learningError = this.errors['consents.learning'];
    return html`
      <h1>${t('reg.title')}</h1>
      <p>${t('reg.intro')}</p>
      <form @submit=${this.submit} novalidate>
        <div role="alert">${this.message ? html`<p class="error">${this.message}</p>` : nothing}</div>
        ${field({ id: 'fullName', label: t('reg.fullName'), error: this.errors.fullName, value: this.values.fullName, autocomplete: 'name', required: true })}
        ${field({
          id: 'identifier',
          label: t('reg.identifier'),
          hint: t('reg.identifierHint'),
          error: this.errors.identifier,
          value: this.values.identifier,
          autocomplete: 'username',
          required: true,
        })}
        ${field({
          id: 'password',
          label: t('reg.password'),
          hint: t('reg.passwordHint'),
          type: 'password',
          error: this.errors.password,
          autocomplete: 'new-password',
          required: true,
        })}
        <fieldset aria-describedby="consents-hint">
          <legend>${t('reg.consents')}</legend>
          <p id="consents-hint" class="muted">${t('reg.consentsHint')}</p>
          ${PURPOSES.map(
            (p) => html`<div class="check">
              <input type="checkbox" id="consent-${p}" name="consent-${p}" .checked=${!!this.consents[p]}
                ?required=${p === 'learning'}
                aria-invalid=${p === 'learning' && learningError ? 'true' : 'false'}
                aria-describedby=${p === 'learning' && learningError ? 'consent-learning-error' : nothing} />
              <label for="consent-${p}">${t(`reg.consent.${p}`)}</label>
            </div>
            ${p === 'learning' && learningError ? html`<p id="consent-learning-error" class="error">${learningError}</p>` : nothing}`,
          )}
        </fieldset>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? t('reg.submitting') : t('reg.submit')}</button>
      </form>
      <p>${t('reg.hasAccount')} <a href="/login">${t('reg.login')}</a></p>
    `;
  }
}

customElements.define('hc-register-page', RegisterPage);
