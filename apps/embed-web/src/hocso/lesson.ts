import { html } from 'lit';
import { LESSON_ID } from './api';
import { HocsoElement } from './element';

/**
 * `<hocso-lesson lesson-id="3f0c…">` — one lesson's embed page (`{base}/embed/lessons/{lessonId}`)
 * in a frame that takes the height of its content. (`lesson-id`, not `id`: `id` is the global
 * attribute every element has.)
 */
export class HocsoLesson extends HocsoElement {
  static override properties = {
    ...HocsoElement.properties,
    lessonId: { attribute: 'lesson-id' },
  };

  declare lessonId: string | null;

  constructor() {
    super();
    this.lessonId = null;
  }

  /** Nothing to fetch: the frame is the content. */
  protected loadKey(): null {
    return null;
  }

  protected async fetchData(): Promise<void> {}

  protected override willUpdate(): void {
    super.willUpdate();
    const id = this.lessonId?.trim() ?? '';
    if (!LESSON_ID.test(id)) {
      this.frame = null;
      return;
    }
    this.showFrame({ src: this.embedUrl(`/embed/lessons/${encodeURIComponent(id)}`), title: this.t.lessonFrame('') });
  }

  override render() {
    const id = this.lessonId?.trim() ?? '';
    return html`<div class="root" part="root" aria-busy=${this.loading ? 'true' : 'false'}>
      ${
        LESSON_ID.test(id)
          ? this.renderFrame()
          : html`<div class="error" role="alert"><p>${this.t.badAttribute('lesson-id')}</p></div>`
      }
    </div>`;
  }
}
