import { LitElement } from 'lit';
import { onLangChange } from '../i18n';

/**
 * Base of every page: re-renders on language change and receives the route params. Pages set
 * `document.title` through `setTitle` so each view has its own title (screen readers, history).
 */
export class Page extends LitElement {
  static override properties = { params: { attribute: false } };
  params: Record<string, string> = {};
  private offLang?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.offLang = onLangChange(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offLang?.();
  }

  protected setTitle(title: string): void {
    document.title = title ? `${title} — Học Số` : 'Học Số';
  }
}
