import { css, html, nothing } from 'lit';
import { CONTENT_PATH, type CourseOutline, getJson, type OutlineLesson, SLUG } from './api';
import { AttributeError, HocsoElement } from './element';
import { levelLabel, pick } from './i18n';
import { baseStyles } from './styles';

/**
 * `<hocso-course slug="dich-vu-cong-truc-tuyen">`
 *
 * A course outline (`GET {base}/v1/content/courses/{slug}`): title, summary, level, minutes, and its
 * modules with their lessons. "Bắt đầu học" opens the course's embed page in a frame inside the
 * element; each lesson is a real link to its embed page that opens in the same frame.
 */
export class HocsoCourse extends HocsoElement {
  static override styles = [
    baseStyles,
    css`
      header {
        display: grid;
        gap: 0.5em;
        margin-bottom: 1em;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75em;
        align-items: center;
        margin-top: 0.25em;
      }
      .module + .module {
        margin-top: 1em;
      }
      .module h3 {
        margin-bottom: 0.4em;
      }
      .lessons {
        display: grid;
        gap: 0.25em;
        padding-inline-start: 1.5em;
      }
      .lessons li {
        padding: 0.25em 0;
      }
      .lessons a {
        display: inline-block;
        min-height: 1.5em;
      }
      .lessons .muted {
        font-size: 0.875em;
        margin-inline-start: 0.5em;
        white-space: nowrap;
      }
    `,
  ];
  static override properties = {
    ...HocsoElement.properties,
    slug: {},
    outline: { state: true },
  };

  declare slug: string | null;
  declare protected outline: CourseOutline | null;

  constructor() {
    super();
    this.slug = null;
    this.outline = null;
  }

  protected loadKey(): string {
    return `${this.base}|${this.slug ?? ''}|${this.locale}`;
  }

  protected async fetchData(signal: AbortSignal): Promise<void> {
    const slug = this.slug?.trim() ?? '';
    if (!SLUG.test(slug)) throw new AttributeError('slug');
    this.outline = await getJson<CourseOutline>(`${this.base}${CONTENT_PATH}/${slug}`, this.locale, signal);
  }

  private courseTitle(): string {
    return pick(this.outline?.title, this.locale);
  }

  private start = (event: MouseEvent): void => {
    if (!this.outline) return;
    this.openFrame(
      {
        src: this.embedUrl(`/embed/courses/${encodeURIComponent(this.outline.slug)}`),
        title: this.t.courseFrame(this.courseTitle()),
      },
      event.currentTarget,
    );
  };

  private openLesson(event: MouseEvent, lesson: OutlineLesson): void {
    this.frameLink(event, {
      src: this.embedUrl(`/embed/lessons/${encodeURIComponent(lesson.id)}`),
      title: this.t.lessonFrame(pick(lesson.title, this.locale)),
    });
  }

  override render() {
    const { t, locale, outline } = this;
    const ready = this.loadState === 'ready' && outline;
    return html`<div class="root" part="root" aria-busy=${this.loading ? 'true' : 'false'}>
      ${this.renderStatus()}
      ${
        ready
          ? html`<header>
              <h2>${this.courseTitle()}</h2>
              <p class="muted">${pick(outline.summary, locale)}</p>
              <p class="meta">
                <span class="badge" title=${`${t.level} ${outline.level}`}>${levelLabel(outline.level, locale)}</span>
                <span>${t.minutes(outline.estimatedMinutes)}</span>
                <span>${t.lessons(outline.lessonCount)}</span>
              </p>
              <div class="actions">
                <button type="button" class="btn" ?hidden=${!!this.frame} @click=${this.start}>${t.start}</button>
                <button type="button" class="btn secondary" ?hidden=${!this.frame} @click=${this.closeFrame}>
                  ← ${t.backToOutline}
                </button>
              </div>
            </header>
            ${this.renderFrame()}
            <section ?hidden=${!!this.frame} aria-label=${t.outline}>
              ${(outline.modules ?? []).map(
                (m) => html`<div class="module">
                  <h3>${pick(m.title, locale)}</h3>
                  <ol class="lessons">
                    ${(m.lessons ?? []).map(
                      (l) => html`<li>
                        <a
                          href=${this.embedUrl(`/embed/lessons/${encodeURIComponent(l.id)}`)}
                          @click=${(e: MouseEvent) => this.openLesson(e, l)}
                          >${pick(l.title, locale)}</a
                        ><span class="muted">${t.minutes(l.minutes)}</span>
                      </li>`,
                    )}
                  </ol>
                </div>`,
              )}
            </section>`
          : nothing
      }
      ${this.renderPowered()}
    </div>`;
  }
}
