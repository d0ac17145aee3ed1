import { type CSSResultGroup, html, LitElement, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { HttpError } from './api';
import { type Lang, originOf, resolveBase, resolveLang } from './env';
import { type Strings, strings } from './i18n';
import { baseStyles } from './styles';

/** What an element shows in its frame: a server-rendered /embed/* page running player.js. */
export interface FrameTarget {
  src: string;
  title: string;
}

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

/** Thrown by `fetchData` when the element's own attributes cannot make a request. */
export class AttributeError extends Error {
  constructor(readonly attribute: string) {
    super(attribute);
  }
}

const DEFAULT_FRAME_HEIGHT = 560;
const MIN_FRAME_HEIGHT = 120;
const MAX_FRAME_HEIGHT = 20000;

/**
 * What the three elements share: `base-url` and `lang` attributes, a keyed data load with
 * loading/error/retry states, and the embedded player frame.
 *
 * Frame messages: `window` `message` events are accepted only when `event.origin` is the Hocso
 * origin AND `event.source` is this element's own iframe — another frame on the page (or another
 * Hocso element) cannot resize or signal this one. Accepted messages (sent by player.js):
 *   { type: 'hocso:resize', height, kind, courseSlug, lessonId } → the iframe's height follows
 *   { type: 'hocso:ready', kind, courseSlug, lessonId, height }  → DOM event `hocso-ready`
 *   { type: 'hocso:completed', courseSlug, lessonId }            → DOM event `hocso-completed`
 * The DOM events bubble out of the shadow root (composed) with `{ kind?, courseSlug, lessonId }` in
 * `detail`, so an integrator can listen: `el.addEventListener('hocso-completed', e => …)`.
 *
 * The iframe is sandboxed: scripts, same-origin storage, forms and popups (links that open a new
 * tab) are allowed; navigating the integrator's page is not. A host page with a Content Security
 * Policy must allow the Hocso origin in `script-src`, `connect-src` and `frame-src`.
 */
export abstract class HocsoElement extends LitElement {
  static override styles: CSSResultGroup = baseStyles;
  static override properties = {
    baseUrl: { attribute: 'base-url' },
    hostLang: { attribute: 'lang' },
    frame: { state: true },
    frameHeight: { state: true },
    frameLoading: { state: true },
    loadState: { state: true },
    failure: { state: true },
  };

  declare baseUrl: string | null;
  declare hostLang: string | null;
  declare protected frame: FrameTarget | null;
  declare protected frameHeight: number;
  declare protected frameLoading: boolean;
  declare protected loadState: LoadState;
  declare protected failure: string | null;

  private abort?: AbortController;
  private loadedKey: string | null | undefined;
  private opener: HTMLElement | null = null;

  constructor() {
    super();
    this.baseUrl = null;
    this.hostLang = null;
    this.frame = null;
    this.frameHeight = DEFAULT_FRAME_HEIGHT;
    this.frameLoading = false;
    this.loadState = 'idle';
    this.failure = null;
  }

  /** The Hocso server these elements talk to (no trailing slash). */
  get base(): string {
    return resolveBase(this.baseUrl);
  }

  get locale(): Lang {
    return resolveLang(this, this.hostLang);
  }

  protected get t(): Strings {
    return strings(this.locale);
  }

  /** Everything a load depends on, as one string (null: nothing to fetch). A change reloads. */
  protected abstract loadKey(): string | null;
  protected abstract fetchData(signal: AbortSignal): Promise<void>;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('message', this.onMessage);
    if (this.loadedKey === undefined) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('message', this.onMessage);
    if (this.loadState === 'loading') {
      this.abort?.abort();
      this.loadedKey = undefined;
    }
  }

  protected override willUpdate(): void {
    const key = this.loadKey();
    if (key !== this.loadedKey) {
      this.loadedKey = key;
      this.startLoad(key);
    }
  }

  protected retry = (): void => {
    this.startLoad(this.loadedKey ?? null);
  };

  private startLoad(key: string | null): void {
    this.abort?.abort();
    if (key === null) {
      this.loadState = 'ready';
      return;
    }
    const ctrl = new AbortController();
    this.abort = ctrl;
    this.loadState = 'loading';
    this.failure = null;
    this.fetchData(ctrl.signal).then(
      () => {
        if (!ctrl.signal.aborted) this.loadState = 'ready';
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        this.loadState = 'error';
        this.failure =
          err instanceof AttributeError
            ? this.t.badAttribute(err.attribute)
            : err instanceof HttpError && err.status === 404
              ? this.t.notFound
              : this.t.loadFailed;
      },
    );
  }

  /** Data or the frame's page still on its way (`aria-busy` on the element's root). */
  protected get loading(): boolean {
    return this.loadState === 'loading' || this.loadState === 'idle' || (!!this.frame && this.frameLoading);
  }

  /**
   * The page of the Hocso server at `path` (e.g. `/embed/courses/x`), in the element's language —
   * always explicit (`?lang=vi|en`): the frame must not fall back to the browser's Accept-Language.
   */
  protected embedUrl(path: string): string {
    return `${this.base}${path}?lang=${this.locale}`;
  }

  protected openFrame(target: FrameTarget, opener?: EventTarget | null): void {
    this.opener = opener instanceof HTMLElement ? opener : null;
    this.showFrame(target);
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLIFrameElement>('iframe')?.focus());
  }

  /** A new page in the frame: default height until the page reports its own. */
  protected showFrame(target: FrameTarget): void {
    if (this.frame?.src === target.src) return;
    this.frameHeight = DEFAULT_FRAME_HEIGHT;
    this.frameLoading = true;
    this.frame = target;
  }

  protected closeFrame = (): void => {
    this.frame = null;
    const opener = this.opener;
    this.opener = null;
    this.updateComplete.then(() => opener?.focus());
  };

  /** A link to `href` that opens in the element's frame (a modified click still opens a new tab). */
  protected frameLink(event: MouseEvent, target: FrameTarget): void {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    this.openFrame(target, event.currentTarget);
  }

  protected renderFrame(): TemplateResult | typeof nothing {
    if (!this.frame) return nothing;
    return html`<iframe
      src=${this.frame.src}
      title=${this.frame.title}
      loading="lazy"
      allow="fullscreen; clipboard-write"
      sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads"
      style=${styleMap({ height: `${this.frameHeight}px` })}
      @load=${this.frameLoaded}
    ></iframe>`;
  }

  protected renderStatus(): TemplateResult | typeof nothing {
    if (this.loadState === 'error') {
      return html`<div class="error" role="alert">
        <p>${this.failure}</p>
        <button type="button" class="btn secondary" @click=${this.retry}>${this.t.retry}</button>
      </div>`;
    }
    if (this.loading) {
      return html`<div class="status" role="status">
        <span class="visually-hidden">${this.t.loading}</span>
        <div class="skeleton" aria-hidden="true"><span></span><span></span></div>
      </div>`;
    }
    return nothing;
  }

  protected renderPowered(): TemplateResult {
    return html`<p class="powered muted">
      <a href=${this.base} target="_blank" rel="noopener">${this.t.poweredBy}</a>
    </p>`;
  }

  private frameLoaded = (): void => {
    this.frameLoading = false;
  };

  private onMessage = (event: MessageEvent): void => {
    const iframe = this.renderRoot?.querySelector('iframe');
    if (!iframe || event.source !== iframe.contentWindow) return;
    if (event.origin !== originOf(this.base)) return;
    const data: unknown = event.data;
    if (!data || typeof data !== 'object') return;
    const msg = data as Record<string, unknown>;
    const detail = {
      kind: typeof msg.kind === 'string' ? msg.kind : undefined,
      courseSlug: typeof msg.courseSlug === 'string' ? msg.courseSlug : undefined,
      lessonId: typeof msg.lessonId === 'string' ? msg.lessonId : undefined,
    };
    if ((msg.type === 'hocso:resize' || msg.type === 'hocso:ready') && typeof msg.height === 'number') {
      if (Number.isFinite(msg.height)) {
        this.frameHeight = Math.min(MAX_FRAME_HEIGHT, Math.max(MIN_FRAME_HEIGHT, Math.ceil(msg.height)));
      }
    }
    switch (msg.type) {
      case 'hocso:ready':
        this.dispatchEvent(new CustomEvent('hocso-ready', { detail, bubbles: true, composed: true }));
        break;
      case 'hocso:completed':
        this.dispatchEvent(new CustomEvent('hocso-completed', { detail, bubbles: true, composed: true }));
        break;
    }
  };
}
