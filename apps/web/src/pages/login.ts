import { css, html, nothing } from 'lit';
import { ApiError, signIn } from '../api';
import { register, t } from '../i18n';
import { navigate } from '../router';
import { field, fieldErrors, focusFirstInvalid } from '../ui/learner/form';
import { errorText, safeNext } from '../ui/learner/status';
import { Page } from '../ui/page';
import { base } from '../ui/styles';

register(
  {
    'login.title': 'Đăng nhập',
    'login.identifier': 'Email hoặc số điện thoại',
    'login.password': 'Mật khẩu',
    'login.submit': 'Đăng nhập',
    'login.submitting': 'Đang đăng nhập…',
    'login.failed': 'Email, số điện thoại hoặc mật khẩu chưa đúng.',
    'login.required': 'Vui lòng nhập thông tin này.',
    'login.noAccount': 'Chưa có tài khoản?',
    'login.register': 'Đăng ký tài khoản mới',
  },
  {
    'login.title': 'Sign in',
    'login.identifier': 'E-mail or phone number',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.submitting': 'Signing in…',
    'login.failed': 'The e-mail, phone number or password is not right.',
    'login.required': 'Please fill this in.',
    'login.noAccount': 'No account yet?',
    'login.register': 'Create an account',
  },
);

export class LoginPage extends Page {
  static override styles = [
    base,
    css`
      form {
        max-width: 28rem;
      }
      button[type='submit'] {
        margin-top: 1rem;
      }
    `,
  ];

  private errors: Record<string, string> = {};
  private message = '';
  private busy = false;
  private values = { identifier: '', password: '' };

  private next() {
    return safeNext(new URLSearchParams(location.search).get('next'));
  }

  private async submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    this.values = {
      identifier: String(data.get('identifier') ?? '').trim(),
      password: String(data.get('password') ?? ''),
    };
    this.errors = {};
    this.message = '';
    if (!this.values.identifier) this.errors.identifier = t('login.required');
    if (!this.values.password) this.errors.password = t('login.required');
    if (!Object.keys(this.errors).length) {
      this.busy = true;
      this.requestUpdate();
      try {
        await signIn(this.values.identifier, this.values.password);
        navigate(this.next(), true);
        return;
      } catch (err) {
        this.errors = fieldErrors(err);
        if (err instanceof ApiError && err.status === 401) this.message = t('login.failed');
        else if (!Object.keys(this.errors).length) this.message = errorText(err);
      }
      this.busy = false;
    }
    this.requestUpdate();
    await this.updateComplete;
    focusFirstInvalid(this.renderRoot);
  }

  override render() {
    this.setTitle(t('login.title'));
    const next = this.next();
    return html`
      <h1>${t('login.title')}</h1>
      <form @submit=${this.submit} novalidate>
        <div role="alert">${this.message ? html`<p class="error">${this.message}</p>` : nothing}</div>
        ${field({
          id: 'identifier',
          label: t('login.identifier'),
          error: this.errors.identifier,
          value: this.values.identifier,
          autocomplete: 'username',
          required: true,
        })}
        ${field({
          id: 'password',
          label: t('login.password'),
          type: 'password',
          error: this.errors.password,
          autocomplete: 'current-password',
          required: true,
        })}
        <button type="submit" ?disabled=${this.busy}>${this.busy ? t('login.submitting') : t('login.submit')}</button>
      </form>
      <p>${t('login.noAccount')} <a href="/register${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}">${t('login.register')}</a></p>
    `;
  }
}

customElements.define('hc-login-page', LoginPage);
