/**
 * hocso.js — Hocso's web components for integrators' pages:
 *
 *   <script src="https://hocso.example.gov.vn/embed/v1/hocso.js"></script>
 *   <hocso-catalog audience="citizen" limit="6"></hocso-catalog>
 *   <hocso-course slug="dich-vu-cong-truc-tuyen"></hocso-course>
 *   <hocso-lesson lesson-id="…uuid…"></hocso-lesson>
 *
 * Shared attributes: `base-url` (the Hocso server; default: where this script was loaded from) and
 * `lang` ("en" for English; otherwise the page's <html lang>, Vietnamese by default). Theming via CSS
 * custom properties: see styles.ts. Frame messages and DOM events: see element.ts.
 *
 * Loading the script twice is harmless: an element already defined is left alone.
 */
import './env';
import { HocsoCatalog } from './catalog';
import { HocsoCourse } from './course';
import { HocsoLesson } from './lesson';

const elements: Array<[string, CustomElementConstructor]> = [
  ['hocso-catalog', HocsoCatalog],
  ['hocso-course', HocsoCourse],
  ['hocso-lesson', HocsoLesson],
];
for (const [name, ctor] of elements) {
  if (!customElements.get(name)) customElements.define(name, ctor);
}
