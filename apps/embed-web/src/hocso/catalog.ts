import { css, html, nothing } from 'lit';
import { CONTENT_PATH, type CourseSummary, type CoursePage, getJson } from './api';
import { HocsoElement } from './element';
import { levelLabel, pick } from './i18n';
import { baseStyles } from './styles';

/**
 * `<hocso-catalog audience="citizen" competency="TT02:1.1" level="CB1" q="dịch vụ công" limit="6">`
 *
 * Course cards from the public catalogue (`GET {base}/v1/content/courses?…`; audience, competency and
 * level take comma-separated lists, `limit` is 1–100, default 6). Each card's title is a real link to
 * the course's embed page; a plain click opens that page in a frame inside the element, with a
 * button back to the cards.
 */
export class HocsoCatalog extends HocsoElement {
  static override styles = [
    baseStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 16rem), 1fr));
        gap: 1em;
        list-style: none;
      }
      .card {
        position: relative;
        display: flex;
        flex-direction: column;
        gap: 0.5em;
        padding: 1em;
        border: 1px solid rgba(127, 127, 127, 0.35);
        border-radius: var(--hocso-radius, 8px);
        background: var(--hocso-bg, #ffffff);
        transition: box-shadow 0.15s ease, transform 0.15s ease;
      }
      .card:hover,
      .card:focus-within {
        box-shadow: 0 2px 10px rgba(0, 0, 0, 0.12);
        transform: translateY(-1px);
      }
      .card a {
        text-decoration: none;
        color: inherit;
      }
      .card a::after {
        content: '';
        position: absolute;
        inset: 0;
        border-radius: var(--hocso-radius, 8px);
      }
      .card a:focus-visible {
        outline: none;
      }
      .card a:focus-visible::after {
        outline: 3px solid var(--hocso-primary, #0b5cad);
        outline-offset: 2px;
      }
      .card .summary {
        flex: 1;
        display: -webkit-box;
        -webkit-box-orient: vertical;
        -webkit-line-clamp: 4;
        line-clamp: 4;
        overflow: hidden;
      }
      .card .meta {
        color: var(--hocso-primary, #0b5cad);
      }
    `,
  ];
  static override properties = {
    ...HocsoElement.properties,
    audience: {},
    competency: {},
    level: {},
    q: {},
    limit: {},
    items: { state: true },
  };

  declare audience: string | null;
  declare competency: string | null;
  declare level: string | null;
  declare q: string | null;
  declare limit: string | null;
  declare protected items: CourseSummary[];

  constructor() {
    super();
    this.audience = null;
    this.competency = null;
    this.level = null;
    this.q = null;
    this.limit = null;
    this.items = [];
  }

  private url(): string {
    const params = new URLSearchParams();
    const add = (name: string, value: string | null) => {
      const v = value?.trim();
      if (v) params.set(name, v);
    };
    add('audience', this.audience);
    add('competency', this.competency);
    add('level', this.level);
    add('q', this.q);
    const n = Number.parseInt(this.limit ?? '', 10);
    params.set('limit', String(Number.isFinite(n) ? Math.min(100, Math.max(1, n)) : 6));
    return `${this.base}${CONTENT_PATH}?${params}`;
  }

  protected loadKey(): string {
    return `${this.url()}|${this.locale}`;
  }

  protected async fetchData(signal: AbortSignal): Promise<void> {
    const page = await getJson<CoursePage>(this.url(), this.locale, signal);
    this.items = Array.isArray(page.items) ? page.items : [];
  }

  private open(event: MouseEvent, course: CourseSummary): void {
    const title = pick(course.title, this.locale);
    this.frameLink(event, {
      src: this.embedUrl(`/embed/courses/${encodeURIComponent(course.slug)}`),
      title: this.t.courseFrame(title),
    });
  }

  override render() {
    const { t, locale } = this;
    const ready = this.loadState === 'ready';
    return html`<div class="root" part="root" aria-busy=${this.loading ? 'true' : 'false'}>
      ${
        this.frame
          ? html`<div class="frame-bar">
              <button type="button" class="btn secondary" @click=${this.closeFrame}>← ${t.allCourses}</button>
            </div>
            ${this.renderFrame()}`
          : nothing
      }
      <div ?hidden=${!!this.frame}>
        ${this.renderStatus()}
        ${ready && this.items.length === 0 ? html`<p class="status">${t.empty}</p>` : nothing}
        ${
          ready && this.items.length
            ? html`<ul class="grid" role="list">
              ${this.items.map((c) => {
                const href = this.embedUrl(`/embed/courses/${encodeURIComponent(c.slug)}`);
                return html`<li class="card">
                  <h3><a href=${href} @click=${(e: MouseEvent) => this.open(e, c)}>${pick(c.title, locale)}</a></h3>
                  <p class="summary muted">${pick(c.summary, locale)}</p>
                  <p class="meta">
                    <span class="badge" title=${`${t.level} ${c.level}`}>${levelLabel(c.level, locale)}</span>
                    <span>${t.minutes(c.estimatedMinutes)}</span>
                    <span>${t.lessons(c.lessonCount)}</span>
                  </p>
                </li>`;
              })}
            </ul>`
            : nothing
        }
      </div>
      ${this.renderPowered()}
    </div>`;
  }
}
