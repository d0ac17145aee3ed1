import { type Api, ApiError, readSession } from './api';
import { h } from './dom';
import type { Strings } from './i18n';

/**
 * The sign-in area (`.hocso-signin`): signed out, a small form (e-mail or phone + password →
 * `POST /v1/auth/login`); signed in, one line with a sign-out button (kiosks and shared phones).
 * Reading never needs it; saving progress and submitting quizzes do.
 */
export class SignIn {
  private form?: HTMLFormElement;
  private message?: HTMLElement;

  /** `compact` (course pages, where nothing is saved): the form folds into a <details> until needed. */
  constructor(
    private readonly el: HTMLElement,
    private readonly api: Api,
    private readonly t: Strings,
    private readonly compact = false,
  ) {}

  render(): void {
    this.el.replaceChildren();
    this.el.hidden = false;
    if (readSession()) {
      const out = h('button', { type: 'button', class: 'hocso-signout' }, this.t.signout);
      out.addEventListener('click', () => void this.api.logout());
      this.el.append(h('p', { class: 'hocso-signed-in' }, `${this.t.signedIn} `, out));
      this.form = undefined;
      return;
    }
    const id = `hocso-signin-${Math.random().toString(36).slice(2, 8)}`;
    const identifier = h('input', {
      id: `${id}-identifier`,
      name: 'identifier',
      type: 'text',
      autocomplete: 'username',
      autocapitalize: 'none',
      spellcheck: 'false',
      required: true,
    });
    const password = h('input', {
      id: `${id}-password`,
      name: 'password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const submit = h('button', { type: 'submit' }, this.t.signin);
    this.message = h('p', { class: 'hocso-signin-message', role: 'alert' });
    this.form = h(
      'form',
      { class: 'hocso-signin-form', novalidate: true },
      h('p', { class: 'hocso-signin-intro' }, this.t.signinIntro),
      h('div', { class: 'hocso-field' }, h('label', { for: identifier.id }, this.t.identifier), identifier),
      h('div', { class: 'hocso-field' }, h('label', { for: password.id }, this.t.password), password),
      h('div', {}, submit),
      this.message,
    );
    this.form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const who = identifier.value.trim();
      if (!who || !password.value) {
        this.say(this.t.fillBoth);
        (who ? password : identifier).focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = this.t.signingIn;
      this.say('');
      try {
        await this.api.login(who, password.value);
        // the session listener (index.ts) re-renders this area and starts tracking
        password.value = '';
      } catch (err) {
        submit.disabled = false;
        submit.textContent = this.t.signin;
        this.say(err instanceof ApiError ? err.message || this.t.signinFailed : this.t.offline);
        password.select();
      }
    });
    this.el.append(this.compact ? h('details', {}, h('summary', {}, this.t.signin), this.form) : this.form);
  }

  /** Brings the form into view with a reason (e.g. submitting a quiz while signed out). */
  prompt(reason: string): void {
    if (!this.form) this.render();
    const details = this.el.querySelector('details');
    if (details) details.open = true;
    this.say(reason);
    this.el.scrollIntoView?.({ block: 'nearest' });
    this.form?.querySelector<HTMLInputElement>('input[name="identifier"]')?.focus();
  }

  private say(text: string): void {
    if (this.message) this.message.textContent = text;
  }
}
