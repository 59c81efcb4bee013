/**
 * Nothing typed is lost when an item's home is unreachable (issue 20), in real Chromium: alice on
 * us-cert changes the status of an indicator homed on lv-cert while the link between them is
 * suspended. The change stays applied and marked waiting, the header says "Waiting · 1 change
 * waiting" and the notice names lv-cert, no error is shown. A change alice makes meanwhile to an
 * indicator homed on us-cert reaches us-cert at once (only changes of the held item wait). When the
 * link is back the held change reaches lv-cert once, by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, loginInBrowser, newPage, openIndicatorBoard, pageErrors, screenshotAll } from '../helpers/browser.js';
import { eventually, makeWorkspace } from '../helpers/foundation.js';
import { cli, linkNations, loginOn, NATION_PASSWORD, shareWorkspace, startNation, type Nation } from '../helpers/federation.js';
import { count } from '../helpers/federationData.js';

describe('a change waiting for its home instance, in the browser', () => {
  let us: Nation;
  let lv: Nation;
  let browser: Browser;
  let ws: string;
  let id: string;
  let localId: string;
  const value = 'waiting-home.baltic-example.net';
  const localValue = 'local-home.us-example.net';

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice']), startNation('lv-cert', 'LV', ['liga'])]);
    await linkNations(us, lv);
    const liga = await loginOn(lv, 'liga');
    ws = await makeWorkspace(liga, 'Operation Quiet Harbour');
    await shareWorkspace(lv, us, ws, { role: 'hunter', members: ['alice'] });
    const made = await liga.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, { type: 'domain', value, tlp: 'AMBER', releasableTo: ['LV', 'US'] });
    expect(made.status).toBe(201);
    id = made.body.indicator.id;
    // An indicator of alice's team, homed on us-cert, in the same shared workspace.
    const alice = await loginOn(us, 'alice');
    await eventually(async () => expect((await alice.get(`/api/workspaces/${ws}/indicators/${id}`)).status).toBe(200), 20_000);
    const local = await alice.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: localValue, tlp: 'AMBER', releasableTo: ['US'] });
    expect(local.status, JSON.stringify(local.body)).toBe(201);
    localId = local.body.indicator.id;
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it('keeps the change applied and waiting while lv-cert is unreachable, and sends it once when it is back', async () => {
    const { context, page } = await newPage(browser, us.url);
    try {
      await loginInBrowser(page, 'alice', NATION_PASSWORD);
      await openIndicatorBoard(page, ws);
      await page.getByTestId('indicator-search').fill(value, { timeout: 60_000 });
      await page.getByTestId(`ioc-row-${value}`).click({ timeout: 20_000 });
      await page.getByTestId('detail-status').waitFor();

      await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
      await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
      await page.getByTestId('detail-status').selectOption('confirmed');

      const indicator = page.getByTestId('connection-indicator');
      await expect.poll(() => indicator.textContent(), { timeout: 20_000 }).toBe('Waiting · 1 change waiting');
      expect(await indicator.getAttribute('data-state')).toBe('online');
      expect(await page.getByTestId('connection-notice').textContent()).toContain('lv-cert');
      expect(await page.getByTestId('detail-waiting').count()).toBe(1);
      expect(await page.getByTestId('detail-status').inputValue()).toBe('confirmed');
      expect(await page.locator('[role=alert]').allTextContents()).toEqual([]);

      // A change of alice's own team's indicator, made while the other one is held, goes through at once.
      await page.getByTestId('indicator-search').fill(localValue);
      await page.getByTestId(`ioc-row-${localValue}`).click({ timeout: 20_000 });
      await page.getByTestId('detail-status').selectOption('confirmed');
      const alice = await loginOn(us, 'alice');
      await expect
        .poll(async () => (await alice.get<{ indicator: { status: string } }>(`/api/workspaces/${ws}/indicators/${localId}`)).body.indicator.status, { timeout: 30_000 })
        .toBe('confirmed');
      await expect.poll(() => page.getByTestId('detail-waiting').count(), { timeout: 20_000 }).toBe(0);
      // Still only the held change waits, and the notice still says for whom.
      expect(await indicator.textContent()).toBe('Waiting · 1 change waiting');
      expect(await page.getByTestId('connection-notice').textContent()).toContain('lv-cert');
      expect(await count(lv, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:updated'", [id])).toBe(0);

      await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
      const liga = await loginOn(lv, 'liga');
      await expect
        .poll(async () => (await liga.get<{ indicator: { status: string } }>(`/api/workspaces/${ws}/indicators/${id}`)).body.indicator.status, { timeout: 30_000 })
        .toBe('confirmed');
      await expect.poll(() => page.getByTestId('detail-waiting').count(), { timeout: 20_000 }).toBe(0);
      await expect.poll(() => indicator.textContent(), { timeout: 20_000 }).toBe('Online');
      expect(await page.getByTestId('connection-notice').count()).toBe(0);
      expect(await count(lv, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:updated'", [id])).toBe(1);
      expect(pageErrors(page)).toEqual([]);
    } catch (err) {
      await screenshotAll('federation-retry', [page]);
      throw err;
    } finally {
      await context.close();
    }
  }, 180_000);
});
