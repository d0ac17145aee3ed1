/**
 * Where the components talk to, and in which language.
 *
 * `scriptBase` is computed once, while hocso.js itself runs (`document.currentScript` is only set
 * during that first synchronous run of a classic script): the URL the script came from, minus its
 * `/embed/v1/hocso.js` path — i.e. the Hocso server's PUBLIC_URL, path prefix included. A copy of the
 * script served from elsewhere (a CDN, the integrator's own site) must say where Hocso lives with
 * `base-url="https://hocso.example.gov.vn"` on each element.
 */

export type Lang = 'vi' | 'en';

const SCRIPT_PATH = /\/embed\/v1\/[^/]*$/;

function detectScriptBase(): string {
  const current = typeof document !== 'undefined' ? document.currentScript : null;
  let src = current instanceof HTMLScriptElement ? current.src : '';
  if (!src) src = document.querySelector<HTMLScriptElement>('script[src*="/embed/v1/hocso"]')?.src ?? '';
  if (!src) return location.origin;
  const url = new URL(src, location.href);
  return SCRIPT_PATH.test(url.pathname) ? url.origin + url.pathname.replace(SCRIPT_PATH, '') : url.origin;
}

export const scriptBase = detectScriptBase();

/** A `base-url` attribute, normalised (http/https only, no trailing slash); the script's base otherwise. */
export function resolveBase(attr: string | null | undefined): string {
  if (attr) {
    try {
      const url = new URL(attr, location.href);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin + url.pathname.replace(/\/+$/, '');
    } catch {
      // fall through to the script's own base
    }
  }
  return scriptBase;
}

export function originOf(base: string): string {
  return new URL(base).origin;
}

/** `lang="en…"` on the element or its nearest ancestor with a lang (usually <html>) → English; else Vietnamese. */
export function resolveLang(host: Element, own: string | null | undefined): Lang {
  const lang = (own || host.closest('[lang]')?.getAttribute('lang') || '').toLowerCase();
  return lang === 'en' || lang.startsWith('en-') ? 'en' : 'vi';
}
