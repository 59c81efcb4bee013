/* global self, caches, __SHELL__ */
/**
 * Huntroom's service worker: the offline shell (issue 19 item 5). A reload without network opens the
 * app from what this browser has cached, and the app then works from IndexedDB (the outbox of
 * record changes, the documents' Yjs state) until the server is back.
 *
 * What is cached, and why that is safe across users: only the app's own code and static files, which
 * are the same for everyone and hold no hunt data: the HTML shell, the hashed JS and CSS bundles
 * (/assets/), and Excalidraw's fonts. API answers (/api/, which carry marked data), the socket.io and
 * Yjs connections, exports and TAXII are never cached: they pass straight to the network. The app
 * clears these caches on logout anyway (register.ts).
 *
 * Built by vite.config.ts: __VERSION__ is a hash of the build's file list (a new build gets a new
 * cache, the old one is deleted on activation) and __SHELL__ the entry's files, fetched at install.
 */
const VERSION = '__VERSION__';
const SHELL = __SHELL__;
const CACHE = `huntroom-shell-${VERSION}`;
const PREFIX = 'huntroom-shell-';

/** Never from a cache: live data, marked data, and what only the server can answer. */
const NEVER = /^\/(api|socket\.io|yjs|taxii2|healthz|federation)(\/|$)/;
/** Static files with a hash in their name (or fonts that never change): cache first. */
const STATIC = /^\/(assets|excalidraw-assets)\//;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER.test(url.pathname)) return;

  // Pages: the network first (a new build, a fresh shell, kept as the shell: every route is the same
  // index.html), the cached shell when the network cannot answer.
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && (response.headers.get('content-type') || '').includes('text/html')) void caches.open(CACHE).then((cache) => cache.put('/', response.clone()));
          return response;
        })
        .catch(() =>
          caches
            .open(CACHE)
            .then((cache) => cache.match('/'))
            .then((shell) => shell || Response.error()),
        ),
    );
    return;
  }
  // Hashed bundles and fonts: from the cache, else fetched once and kept (lazy chunks as they are opened).
  if (STATIC.test(url.pathname)) {
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request).then(
          (hit) =>
            hit ||
            fetch(request).then((response) => {
              if (response.ok) void cache.put(request, response.clone());
              return response;
            }),
        ),
      ),
    );
  }
});
