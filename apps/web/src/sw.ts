/// <reference lib="webworker" />
/**
 * The portal's service worker. Shell files are precached at install (a new build = a new cache);
 * page navigations are network-first with the cached shell as the offline fallback; hashed assets
 * are cache-first; course outlines and lessons (GET /v1/courses/…) are network-first and kept, so a
 * lesson opened once can be read again without a connection. Writes are never cached: progress
 * made offline waits in IndexedDB (see offline/) and is sent when the connection returns.
 */
declare const __HOCSO_VERSION__: string;
declare const __HOCSO_SHELL__: string[];
const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `hocso-shell-${__HOCSO_VERSION__}`;
const CONTENT = 'hocso-content-v1';

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((c) => c.addAll(__HOCSO_SHELL__))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('hocso-shell-') && k !== SHELL).map((k) => caches.delete(k))),
      )
      .then(() => sw.clients.claim()),
  );
});

const isContent = (url: URL) => /^\/v1\/(courses|me\/enrollments)(\/|$|\?)/.test(url.pathname);

async function networkFirst(request: Request, cacheName: string, fallback?: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch {
    // ignoreVary: responses vary on Authorization, and the access token changes every 15 minutes.
    const hit =
      (await cache.match(request, { ignoreVary: true })) ?? (fallback ? await caches.match(fallback) : undefined);
    if (hit) return hit;
    return new Response(JSON.stringify({ status: 503, code: 'OFFLINE', title: 'Offline' }), {
      status: 503,
      headers: { 'Content-Type': 'application/problem+json' },
    });
  }
}

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL, '/'));
  } else if (url.pathname.startsWith('/app/')) {
    // Hashed files never change: the shell's are precached; page chunks are kept on first use so
    // a page opened once also opens offline.
    event.respondWith(
      // ignoreVary: module scripts carry Origin and the server answers Vary: Origin.
      caches.match(request, { ignoreVary: true }).then(
        (hit) =>
          hit ??
          fetch(request).then(async (response) => {
            if (response.ok && url.pathname.startsWith('/app/chunks/')) {
              await (await caches.open(SHELL)).put(request, response.clone());
            }
            return response;
          }),
      ),
    );
  } else if (isContent(url) && !request.headers.has('Authorization')) {
    event.respondWith(networkFirst(request, CONTENT));
  } else if (isContent(url)) {
    // Per-learner responses: cached by URL too, but only this browser ever reads this cache.
    event.respondWith(networkFirst(request, CONTENT));
  }
});
