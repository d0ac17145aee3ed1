import { css, html, LitElement } from 'lit';
import { currentUser, hasRole, onSessionChange, restoreSession, signedIn, signOut } from './api';
import { lang, onLangChange, setLang, t } from './i18n';
import { onSyncChange, type SyncState, syncState } from './offline/sync-state';
import { interceptLinks, match, navigate, onNavigate } from './router';
import { ROUTES } from './routes';
import { base } from './ui/styles';

/**
 * The portal shell: skip link, header (brand, navigation by role, language switch, sync state),
 * the routed page, footer. After each navigation focus moves to the page (screen readers hear the
 * new title; keyboard users start at the top of the content).
 */
export class HcApp extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        min-height: 100vh;
        display: flex;
        flex-direction: column;
      }
      header {
        background: var(--hc-primary);
        color: #fff;
      }
      .bar {
        max-width: 72rem;
        margin: 0 auto;
        padding: 0.5rem 1rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
      }
      .brand {
        color: #fff;
        font-weight: 700;
        font-size: 1.2rem;
        text-decoration: none;
        margin-right: auto;
        min-height: 44px;
        display: inline-flex;
        align-items: center;
      }
      nav ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
      }
      /* Phones: the links scroll sideways in one row, so the header keeps its height whatever the
         role (no layout shift when the session is restored). */
      @media (max-width: 40rem) {
        nav {
          order: 3;
          width: 100%;
          overflow-x: auto;
        }
        nav ul {
          flex-wrap: nowrap;
          white-space: nowrap;
        }
      }
      nav a,
      .link-button {
        color: #fff;
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        padding: 0 0.6rem;
        border-radius: 6px;
        text-decoration: none;
        background: transparent;
        border: 0;
        font-weight: 600;
      }
      nav a[aria-current='page'] {
        background: rgba(255, 255, 255, 0.2);
      }
      a:focus-visible,
      button:focus-visible {
        outline-color: #fff;
      }
      .sync {
        font-size: 0.85rem;
        padding: 0.25rem 0.5rem;
        border-radius: 999px;
        background: rgba(255, 255, 255, 0.15);
      }
      .sync.offline {
        background: #fde68a;
        color: #111;
      }
      /* At least a screen tall: the footer starts below the fold, so a page growing from its loading
         line to its content does not push a visible footer down (layout shift). */
      ::slotted(main) {
        flex: 1;
        min-height: 100vh;
        width: 100%;
        max-width: 72rem;
        margin: 0 auto;
        padding: 1rem;
        box-sizing: border-box;
      }
      ::slotted(main:focus),
      ::slotted(main:focus-visible) {
        outline: none;
      }
      footer {
        color: var(--hc-muted);
        font-size: 0.85rem;
        text-align: center;
        padding: 1rem;
      }
    `,
  ];

  private outlet?: HTMLElement;
  /**
   * The skip link and <main> live in the document (slotted), not in this shadow root: the browser's
   * own #main lookup and assistive technology then find the skip link's target. The link sits in a
   * small navigation landmark of its own (styled by global.css), so no content is outside a landmark.
   */
  private readonly skip = Object.assign(document.createElement('a'), { href: '#main' });
  private readonly skipNav = Object.assign(document.createElement('nav'), { className: 'skip-nav', slot: 'skip' });
  private readonly main = Object.assign(document.createElement('main'), { id: 'main', tabIndex: -1, slot: 'main' });
  private sync: SyncState = syncState();
  private ready = false;
  private navigated = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.main.isConnected) {
      this.skipNav.append(this.skip);
      this.append(this.skipNav, this.main);
    }
    this.skip.addEventListener('click', (e) => this.skipToMain(e));
    onNavigate(() => void this.route());
    onLangChange(() => this.requestUpdate());
    onSessionChange(() => {
      this.requestUpdate();
    });
    onSyncChange((s) => {
      this.sync = s;
      this.requestUpdate();
    });
    interceptLinks(this.renderRoot as ShadowRoot);
    void restoreSession().then(() => {
      this.ready = true;
      void this.route();
      // Attendance marked offline goes out whichever page a trainer opens next.
      if (hasRole('trainer', 'master_trainer')) {
        void import('./offline/attendance-queue').then((q) => q.startAttendanceSync()).catch(() => undefined);
      }
    });
  }

  private async route(): Promise<void> {
    this.requestUpdate();
    const found = match(ROUTES, location.pathname);
    const main = this.main;
    let el: HTMLElement;
    if (!found) {
      el = document.createElement('hc-not-found');
      el.textContent = t('common.notFound');
    } else if (found.route.roles && !signedIn()) {
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, true);
      return;
    } else if (found.route.roles?.length && !hasRole(...found.route.roles)) {
      el = document.createElement('p');
      el.textContent = t('common.forbidden');
    } else {
      try {
        await found.route.load();
      } catch {
        el = document.createElement('p');
        el.textContent = t('common.offlineError');
        main.replaceChildren(el);
        return;
      }
      el = document.createElement(found.route.tag);
      (el as HTMLElement & { params: Record<string, string> }).params = found.params;
    }
    this.outlet?.remove();
    this.outlet = el;
    main.replaceChildren(el);
    // After an in-app navigation focus moves to the new page; on the first load it stays at the top
    // of the document, so the first Tab reaches the skip link.
    if (this.navigated) main.focus({ preventScroll: true });
    this.navigated = true;
  }

  /** Focus moves to the page itself (not only the scroll position), and the URL keeps no #main. */
  private skipToMain(event: Event): void {
    event.preventDefault();
    this.main.focus();
  }

  private syncLabel(): string {
    if (!this.sync.online) return t('sync.offline');
    if (this.sync.syncing) return t('sync.syncing');
    if (this.sync.pending > 0) return t('sync.pending', { n: this.sync.pending });
    return t('sync.online');
  }

  /** `section`: the path prefix whose pages this link stands for (default: its own). */
  private navLink(href: string, label: string, section = href) {
    const current = location.pathname === href || (section !== '/' && location.pathname.startsWith(`${section}/`));
    return html`<li><a href=${href} aria-current=${current ? 'page' : 'false'}>${label}</a></li>`;
  }

  protected override updated(): void {
    this.skip.textContent = t('nav.skip');
    this.skipNav.setAttribute('aria-label', t('nav.shortcuts'));
  }

  override render() {
    const user = currentUser();
    const other = lang() === 'vi' ? 'en' : 'vi';
    return html`
      <slot name="skip"></slot>
      <header>
        <div class="bar">
          <a class="brand" href="/">${t('app.name')}</a>
          <nav aria-label=${t('nav.menu')}>
            <ul>
              ${this.navLink('/', t('nav.catalogue'))}
              ${user ? this.navLink('/me/courses', t('nav.myCourses')) : ''}
              ${user ? this.navLink('/me/certificates', t('nav.certificates')) : ''}
              ${hasRole('trainer', 'master_trainer') ? this.navLink('/trainer', t('nav.trainer')) : ''}
              ${hasRole('enterprise_manager') ? this.navLink('/enterprise', t('nav.enterprise')) : ''}
              ${hasRole('org_admin', 'province_admin') ? this.navLink('/admin', t('nav.admin'), '/admin/kpis') : ''}
              ${hasRole('org_admin', 'province_admin') ? this.navLink('/admin/people', t('nav.people')) : ''}
              ${user ? this.navLink('/me/account', t('nav.account')) : !signedIn() || this.ready ? this.navLink('/login', t('nav.login')) : ''}
            </ul>
          </nav>
          <span class="sync ${this.sync.online ? '' : 'offline'}" role="status" aria-live="polite">${this.syncLabel()}</span>
          <button class="link-button" lang=${other} aria-label=${t('lang.switchLabel')} @click=${() => setLang(other)}>
            ${t('lang.switch')}
          </button>
          ${
            user
              ? html`<button class="link-button" @click=${async () => {
                  await signOut();
                  navigate('/');
                }}>${t('nav.logout')}</button>`
              : ''
          }
        </div>
      </header>
      <slot name="main"></slot>
      <footer>${t('footer.text')}</footer>
    `;
  }
}

customElements.define('hc-app', HcApp);
