/**
 * Offline in real Chromium (issue 19 item 5): a status change made offline stays applied with a
 * "waiting" mark (no error, no snap back) and reaches the server when the network returns; an
 * indicator opened offline shows from the board and says its details wait for the connection; the
 * record plane comes back at once when the network returns, even while socket.io waits out a
 * reconnection backoff; a note's offline typing counts as one document with unsynced edits, not one
 * change per keystroke.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocketRoute } from 'playwright-core';
import { browserSuite, loginInBrowser, openIndicatorBoard, pageErrors } from '../helpers/browser.js';
import { loginAs } from '../helpers/http.js';

describe('offline record changes', () => {
  const suite = browserSuite();
  const state = (p: import('playwright-core').Page) => p.getByTestId('connection-indicator').getAttribute('data-state');

  it('keeps an offline status change applied, marked waiting, and syncs it later', async () => {
    const ws = suite.server.demo!.workspaceId;
    const api = await loginAs(suite.server.url, 'alice');
    const value = 'offline-status.example.net';
    const created = await api.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value });
    expect(created.status).toBe(201);
    const id = created.body.indicator?.id ?? created.body.id;
    const { context, page } = await suite.newPage();
    await loginInBrowser(page, 'alice');
    await openIndicatorBoard(page, ws);
    await page.getByTestId('indicator-search').fill(value, { timeout: 60_000 });
    await page.getByTestId(`ioc-row-${value}`).click();
    await page.getByTestId('detail-status').waitFor();
    // The panel shows the row at once and loads its details (history, sightings) beside it, again when
    // an event about the row arrives: a request still in flight when the network drops rightly says it
    // cannot reach the server, which is not what this test is about (it failed once in CI with that
    // alert; which request it was is not known). The details in, and no request in flight for 500 ms.
    await page.locator('[data-testid=detail-panel] .history li').first().waitFor();
    await page.waitForLoadState('networkidle');

    await context.setOffline(true);
    await expect.poll(() => state(page)).toBe('offline');
    await page.getByTestId('detail-status').selectOption('confirmed');
    // Applied at once and marked as waiting, in the panel and the row; the header counts one change.
    await expect.poll(() => page.getByTestId('detail-waiting').count()).toBe(1);
    expect(await page.getByTestId('detail-status').inputValue()).toBe('confirmed');
    const row = page.getByTestId(`ioc-row-${value}`);
    expect(await row.locator('.status').textContent()).toBe('confirmed');
    expect(await row.getByTestId('row-waiting').count()).toBe(1);
    expect(await page.getByTestId('connection-indicator').textContent()).toBe('Offline · 1 change waiting');
    // Still applied a while later, with no error shown (the command waits in the outbox; nothing failed).
    await expect.poll(() => page.getByTestId('detail-status').inputValue(), { timeout: 3_000 }).toBe('confirmed');
    expect(await page.locator('[role=alert]').allTextContents()).toEqual([]);
    expect((await api.get(`/api/workspaces/${ws}/indicators/${id}`)).body.indicator.status).toBe('new');

    await context.setOffline(false);
    await expect.poll(async () => (await api.get(`/api/workspaces/${ws}/indicators/${id}`)).body.indicator.status, { timeout: 20_000 }).toBe('confirmed');
    await expect.poll(() => page.getByTestId('detail-waiting').count(), { timeout: 20_000 }).toBe(0);
    expect(await page.getByTestId('detail-status').inputValue()).toBe('confirmed');
    expect(await row.getByTestId('row-waiting').count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);

  it('opens an indicator offline from the board, says its details wait for the connection, and loads them when it is back', async () => {
    const ws = suite.server.demo!.workspaceId;
    const api = await loginAs(suite.server.url, 'alice');
    const value = 'offline-detail.example.net';
    expect((await api.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value })).status).toBe(201);
    const { context, page } = await suite.newPage();
    await loginInBrowser(page, 'alice');
    await openIndicatorBoard(page, ws);
    await page.getByTestId('indicator-search').fill(value, { timeout: 60_000 });
    await page.getByTestId(`ioc-row-${value}`).waitFor();

    await context.setOffline(true);
    await expect.poll(() => state(page)).toBe('offline');
    await page.getByTestId(`ioc-row-${value}`).click();
    // The row is there (from the live board); its details are not, and that is said, not shown as an error.
    await expect.poll(() => page.getByTestId('detail-value').textContent()).toBe('offline-detail[.]example[.]net');
    await expect.poll(() => page.getByTestId('detail-offline').textContent()).toBe('Offline: this indicator’s sightings, comments and history load when the connection is back.');
    expect(await page.locator('[role=alert]').allTextContents()).toEqual([]);

    await context.setOffline(false);
    await page.locator('[data-testid=detail-panel] .history li').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('detail-offline').count()).toBe(0);
    expect(await page.locator('[role=alert]').allTextContents()).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  }, 120_000);

  it('is back online at once when the network returns, even in the middle of a reconnection backoff', async () => {
    const { page } = await suite.newPage();
    // Every socket.io websocket goes through this route: passed to the server, or cut while "down".
    let down = false;
    const open = new Set<WebSocketRoute>();
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (down) return void ws.close({ code: 1006, reason: 'network down' }).catch(() => undefined);
      open.add(ws);
      ws.connectToServer();
    });
    await loginInBrowser(page, 'alice');
    await openIndicatorBoard(page, suite.server.demo!.workspaceId);

    // The link dies under the socket without the browser saying "offline": socket.io retries with a
    // growing backoff (1 s, 2 s, 4 s, 5 s...), each attempt cut.
    down = true;
    for (const ws of open) await ws.close({ code: 1006, reason: 'network down' }).catch(() => undefined);
    await expect.poll(() => state(page), { timeout: 15_000 }).not.toBe('online');
    const failed = () => page.evaluate(() => performance.now());
    const start = await failed();
    await expect.poll(async () => (await failed()) - start, { timeout: 20_000, interval: 500 }).toBeGreaterThan(7_000);

    // The network is back and the browser says so: online well within a backoff step.
    down = false;
    const t0 = Date.now();
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => state(page), { timeout: 20_000, interval: 25 }).toBe('online');
    const took = Date.now() - t0;
    console.log(`record plane online ${took} ms after the online event (in backoff)`);
    expect(took).toBeLessThan(1_500);

    // For comparison (printed, not asserted): the same outage left to socket.io's own backoff, which is
    // all a connect() during the backoff amounted to before.
    down = true;
    for (const ws of open) await ws.close({ code: 1006, reason: 'network down' }).catch(() => undefined);
    await expect.poll(() => state(page), { timeout: 15_000 }).not.toBe('online');
    const again = await failed();
    await expect.poll(async () => (await failed()) - again, { timeout: 20_000, interval: 500 }).toBeGreaterThan(7_000);
    down = false;
    const t1 = Date.now();
    await expect.poll(() => state(page), { timeout: 60_000, interval: 25 }).toBe('online');
    console.log(`record plane online ${Date.now() - t1} ms after the network returned, left to the backoff`);
  }, 120_000);
});
