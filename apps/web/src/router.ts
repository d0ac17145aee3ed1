/**
 * A small history router: each route names a page element and the module that defines it, loaded
 * on first visit (code splitting keeps the catalogue page light). Links are plain <a href> — the
 * shell intercepts same-origin clicks — so every page is also a real URL the server answers.
 */
export interface Route {
  /** '/courses/:slug' — `:name` segments become params */
  path: string;
  tag: string;
  load: () => Promise<unknown>;
  /** roles that may open it; undefined = anyone; [] = any signed-in user */
  roles?: string[];
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export function match(routes: Route[], pathname: string): Match | null {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = decodeURIComponent(parts[i]);
      else if (pattern[i] !== parts[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return { route, params };
  }
  return null;
}

const listeners = new Set<() => void>();

export function onNavigate(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const fn of listeners) fn();
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  for (const fn of listeners) fn();
});

/** Same-origin link clicks navigate without a reload (modifier keys and downloads excepted). */
export function interceptLinks(root: Document | ShadowRoot | HTMLElement = document): void {
  root.addEventListener('click', (event) => {
    const e = event as MouseEvent;
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const anchor = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin) return;
    if (/^\/(v1|embed|lti|verify|docs|openapi\.json|health|metrics|\.well-known)(\/|$)/.test(anchor.pathname)) return;
    // A link to a place on this same page (e.g. the skip link) is not a navigation.
    if (anchor.hash && anchor.pathname === location.pathname && anchor.search === location.search) return;
    e.preventDefault();
    navigate(anchor.pathname + anchor.search + anchor.hash);
  });
}
