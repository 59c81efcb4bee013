/**
 * Registers the offline shell's service worker (sw.js, built by vite.config.ts) and clears what it
 * cached on logout. Only in a production build: the dev server serves modules one by one and a
 * service worker would serve stale ones. Browsers without service workers (or outside a secure
 * context) simply have no offline shell.
 */
const CACHE_PREFIX = 'huntroom-shell-';

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // updateViaCache 'none': a new build's sw.js is seen at once, not after the HTTP cache's hour.
  navigator.serviceWorker.register('/sw.js', { updateViaCache: 'none' }).catch((err: unknown) => {
    console.warn('no offline shell: the service worker did not register', err);
  });
}

/**
 * On logout: the shell's caches hold only the app's own code (sw.js says what), but nothing of a
 * session should outlive it on a shared machine. The worker refills them on the next visit.
 */
export async function clearOfflineCaches(): Promise<void> {
  if (typeof caches === 'undefined') return;
  const keys = await caches.keys();
  await Promise.all(keys.filter((k) => k.startsWith(CACHE_PREFIX)).map((k) => caches.delete(k)));
}
