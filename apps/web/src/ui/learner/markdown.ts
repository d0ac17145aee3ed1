import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { markdownHtml } from './markdown-html';

// A page re-renders on every sync-state change: the rendered HTML of recent sources is kept, so a
// re-render neither parses the Markdown again nor (same string) touches the DOM.
const cache = new Map<string, string>();
const CACHE_SIZE = 64;

/**
 * Lesson Markdown for a Lit template. Safe although it is unsafeHTML: markdownHtml escapes every
 * piece of the source and emits only its own tags (see markdown-html.ts and its tests).
 */
export function markdown(source: string) {
  let rendered = cache.get(source);
  if (rendered === undefined) {
    rendered = markdownHtml(source);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(source, rendered);
  }
  return unsafeHTML(rendered);
}
