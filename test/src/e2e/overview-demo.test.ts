/**
 * The first minute (issue 19): a fresh node with the full demo (HUNTROOM_DEMO=on), opened in a new
 * browser as a demo user. The Overview shows the hunt at once: counts, the last hour's changes with
 * names and teams, the chart of indicators per day, top techniques, hunt coverage, and who is online.
 * Also: the indicator board and the notes are not empty. Screenshot: test/test-results/overview/ (and
 * docs/screenshots/overview.png when HUNTROOM_SCREENSHOTS is set to that folder).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, loginInBrowser, newPage, pageErrors } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SHOTS = fileURLToPath(new URL('../../test-results/overview/', import.meta.url));

describe('the demo at first sight', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer({ HUNTROOM_DEMO: 'on' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the Overview shows counts, the last hour, a chart, top techniques, coverage and who is online', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await loginInBrowser(page, 'ben');
      await page.goto(`/w/${server.demo!.workspaceId}`);
      const stats = page.getByTestId('overview-stats');
      await stats.waitFor({ timeout: 30_000 });
      // ben (CA) sees his team's CA-only indicators and not US's US+LV ones: a few hundred either way.
      const indicators = Number((await page.getByTestId('stat-indicators').locator('.stat-value').innerText()).replace(/\D/g, ''));
      expect(indicators).toBeGreaterThan(200);
      expect(Number((await page.getByTestId('stat-notes').locator('.stat-value').innerText()).replace(/\D/g, ''))).toBe(4);
      // The last hour: items with a person's name and team, and an item named by its (defanged) value.
      const activity = page.getByTestId('overview-activity-item');
      await expect.poll(() => activity.count()).toBeGreaterThan(3);
      await expect.poll(() => page.getByTestId('overview-activity').innerText()).toContain('Alice Carter');
      await expect.poll(() => page.getByTestId('overview-activity').innerText()).toContain('[.]');
      // The chart: one bar per day of the hunt.
      expect(await page.getByTestId('overview-chart-bar').count()).toBeGreaterThanOrEqual(6);
      await expect.poll(() => page.getByTestId('overview-techniques').innerText()).toContain('T1071.001');
      await expect.poll(() => page.getByTestId('overview-techniques').innerText()).toContain('Web Protocols');
      await expect.poll(() => page.getByTestId('overview-by-status').innerText()).toContain('Confirmed');
      await expect.poll(() => page.getByTestId('overview-hosts').innerText()).toContain('Compromised');
      // ben's own socket joined the workspace: he is listed as online (refreshed every 20 s).
      await expect
        .poll(async () => (await page.getByTestId('overview-online').count()) && page.getByTestId('overview-online').innerText(), { timeout: 40_000 })
        .toContain('Ben Tremblay');
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}overview.png`, fullPage: true });
      if (process.env.HUNTROOM_SCREENSHOTS) copyFileSync(`${SHOTS}overview.png`, `${process.env.HUNTROOM_SCREENSHOTS}/overview.png`);
      // Nothing wider than the window.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('the demo has indicators on the board and notes to read', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await loginInBrowser(page, 'liga');
      await page.goto(`/w/${server.demo!.workspaceId}/notes`);
      await page.getByText('Hunt plan: NORTHERN LIGHT').waitFor();
      // LV may not see CA's CA-only note, not even its title.
      await page.getByText('Host nation briefing notes').waitFor();
      expect(await page.getByText('CA only: source handling').count()).toBe(0);
      await page.goto(`/w/${server.demo!.workspaceId}/indicators`);
      await page.getByTestId('indicator-table').waitFor();
      await expect.poll(() => page.getByTestId('indicator-table').innerText()).toContain('example');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});
