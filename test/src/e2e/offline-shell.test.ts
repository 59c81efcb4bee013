/**
 * The offline shell (issue 19 item 5): once the app has been opened, a reload without network opens
 * the app from the service worker's cache instead of the browser's error page; API answers are never
 * in that cache; logout empties it. And a note typed offline counts as one document with unsynced
 * edits, not one change per keystroke.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, loginInBrowser } from '../helpers/browser.js';

const cached = (page: Page) =>
  page.evaluate(async () => {
    const out: string[] = [];
    for (const key of await caches.keys()) for (const req of await (await caches.open(key)).keys()) out.push(new URL(req.url).pathname);
    return out;
  });

describe('offline shell', () => {
  const suite = browserSuite();

  it('reloads without network into the app, caches no API answer, and forgets it all on logout', async () => {
    const { context, page } = await suite.newPage();
    await loginInBrowser(page, 'alice');
    // The worker is installed and controls the page (the next navigation goes through it).
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 15_000 }).toBe(true);
    await page.getByTestId('workspace-list').waitFor();
    const before = await cached(page);
    expect(before).toContain('/');
    expect(before.some((p) => p.startsWith('/assets/') && p.endsWith('.js'))).toBe(true);
    expect(before.filter((p) => /^\/(api|socket\.io|yjs)\//.test(p))).toEqual([]);

    await context.setOffline(true);
    await page.reload();
    // The app's own page, not the browser's error page: it says it is offline, and opens the
    // session by itself when the network is back.
    await expect.poll(() => page.locator('body').textContent(), { timeout: 15_000 }).toContain('You are offline');
    expect(await page.title()).not.toMatch(/not available|ERR_/i);
    await context.setOffline(false);
    await page.getByTestId('workspace-list').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByTestId('login-username').waitFor();
    await expect.poll(() => cached(page)).toEqual([]);
  }, 120_000);

  it('counts offline typing in a note as unsynced edits in one document', async () => {
    const { context, page } = await suite.newPage();
    await loginInBrowser(page, 'ben');
    await page.goto(`/w/${suite.server.demo!.workspaceId}/notes`);
    await page.getByTestId('note-title').fill('Offline counter');
    await page.getByTestId('note-create').click();
    await expect.poll(() => page.getByTestId('doc-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced');
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('doc-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('offline');
    await page.getByTestId('note-editor').click();
    const sentence = 'Beacon every sixty seconds to the staging host.';
    await page.keyboard.type(sentence);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toBe('Offline · unsynced edits in 1 document');
    expect(await page.getByTestId('doc-status').textContent()).toBe('Offline · unsynced edits');
    expect(await page.getByTestId('connection-indicator').getAttribute('data-pending')).toBe('1');
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('doc-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced');
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toBe('Online');
  }, 120_000);
});
