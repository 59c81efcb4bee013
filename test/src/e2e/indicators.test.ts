/**
 * The indicator board in real Chromium: two teams see each other's additions and status changes live
 * with who did it; a paste of defanged tool output is extracted in a worker, previewed and committed;
 * a 100,000-row board stays usable (filtering measured in the page).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { loginAs } from '../helpers/http.js';
import { browserSuite, loginInBrowser, pageErrors, openIndicatorBoard } from '../helpers/browser.js';

describe('indicator board in the browser', () => {
  const suite = browserSuite();

  async function openBoard(username: string): Promise<Page> {
    const { page } = await suite.newPage();
    await loginInBrowser(page, username);
    await openIndicatorBoard(page, suite.server.demo!.workspaceId);
    return page;
  }

  it('an indicator added by one team appears live for another with who did it, and status changes flow back', async () => {
    const alice = await openBoard('alice');
    const ben = await openBoard('ben');
    await alice.getByTestId('add-indicator').click();
    await alice.getByTestId('add-type').selectOption('domain');
    await alice.getByTestId('add-value').fill('c2[.]northern-light[.]top');
    await alice.getByTestId('add-submit').click();

    const row = ben.getByTestId('ioc-row-c2.northern-light.top');
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.textContent()).toContain('by Alice Carter (US)');
    expect(await row.textContent()).toContain('c2[.]northern-light[.]top');

    // Ben confirms it on the board by status; Alice sees the new status.
    await ben.getByTestId('view-board').click();
    await ben.getByLabel('Status of c2.northern-light.top').selectOption('confirmed');
    await expect.poll(() => alice.getByTestId('ioc-row-c2.northern-light.top').textContent(), { timeout: 10_000 }).toContain('confirmed');
    await expect.poll(() => alice.getByTestId('ioc-row-c2.northern-light.top').textContent()).toContain('by Ben Tremblay (CA)');

    // Both open the detail; Alice comments and Ben's open panel shows it live; the history names both teams.
    await ben.getByRole('button', { name: 'Table' }).click();
    await ben.getByTestId('ioc-row-c2.northern-light.top').click();
    await ben.getByTestId('detail-panel').waitFor();
    await alice.getByTestId('ioc-row-c2.northern-light.top').click();
    await alice.getByTestId('detail-comment').fill('Registered yesterday, same registrar as last op.');
    await alice.getByTestId('detail-comment-add').click();
    await expect.poll(() => alice.getByTestId('detail-comments').textContent()).toContain('Registered yesterday');
    await expect.poll(() => ben.getByTestId('detail-comments').textContent(), { timeout: 10_000 }).toContain('Registered yesterday');
    await expect.poll(() => alice.getByTestId('detail-panel').textContent()).toMatch(/ben \(CA\) updated/);

    // Alice maps it to ATT&CK; Ben finds it by the technique id.
    await alice.getByTestId('detail-techniques').fill('t1071, T1568.002');
    await alice.getByTestId('detail-techniques').press('Enter');
    await ben.getByTestId('indicator-search').fill('T1568.002');
    await expect.poll(() => ben.getByTestId('indicator-count').textContent()).toMatch(/^1 shown/);
    expect(pageErrors(alice)).toEqual([]);
    expect(pageErrors(ben)).toEqual([]);
  });

  it('a pasted report is extracted in a worker, previewed with warnings, committed, and reaches the other team', async () => {
    const alice = await openBoard('alice');
    const liga = await openBoard('liga');
    const report = [
      'Beacon from 10.20.30.40 to hxxps://cdn-update[.]badcdn[.]top/gate.php every 60 s.',
      'C2 185.220.101[.]45:8443, dropper md5 5F4DCC3B5AA765D61D8327DEB882CF99, CVE-2024-3400.',
      ...Array.from({ length: 30 }, (_, i) => `exfil host-${i}[.]exfil-drop[.]net seen`),
    ].join('\n');
    const countOf = async (p: Page) => Number(/of (\d+)$/.exec((await p.getByTestId('indicator-count').textContent()) ?? '')?.[1]);
    // What the server holds for this workspace now (the board may still be loading it).
    const api = await loginAs(suite.server.url, 'liga');
    const before = (await api.get(`/api/workspaces/${suite.server.demo!.workspaceId}/indicators?limit=1`)).body.total as number;
    await alice.getByTestId('import-open').click();
    await alice.getByTestId('import-text').fill(report);
    await alice.getByTestId('import-extract').click();
    const preview = alice.getByTestId('import-preview');
    await preview.waitFor();
    await expect.poll(() => preview.textContent()).toContain('35 distinct values');
    expect(await preview.textContent()).toContain('private range');
    // Each free-text value shows the line it came from, as pasted; an address keeps its port as context.
    const c2Row = preview.locator('.preview-row').filter({ has: alice.locator('.value-cell', { hasText: /^185\.220\.101\.45$/ }) });
    await expect
      .poll(() => c2Row.getByTestId('preview-source').textContent())
      .toBe('port 8443 · C2 185.220.101[.]45:8443, dropper md5 5F4DCC3B5AA765D61D8327DEB882CF99, CVE-2024-3400.');
    const cveRow = preview.locator('.preview-row').filter({ has: alice.locator('.value-cell', { hasText: /^CVE-2024-3400$/ }) });
    expect(await cveRow.getByTestId('preview-source').textContent()).toBe('C2 185.220.101[.]45:8443, dropper md5 5F4DCC3B5AA765D61D8327DEB882CF99, CVE-2024-3400.');
    expect(await cveRow.getByTestId('preview-source').isVisible()).toBe(true);
    await alice.getByTestId('import-commit-btn').click();
    await expect.poll(() => alice.getByTestId('import-commit').textContent(), { timeout: 15_000 }).toContain('34 new');
    await alice.getByTestId('import-close').click();

    await expect.poll(() => countOf(liga), { timeout: 10_000 }).toBe(before + 34);
    // The table draws only the rows on screen: search to bring one into view.
    await liga.getByTestId('indicator-search').fill('185.220.101.45');
    // The address is the value (the port was context): it matches the address seen anywhere without a port.
    await liga.getByTestId('ioc-row-185.220.101.45').waitFor();
    await liga.getByTestId('indicator-search').fill('');
    // The private address was left out of the commit by default.
    await liga.getByTestId('indicator-search').fill('10.20.30.40');
    await expect.poll(() => liga.getByTestId('indicator-count').textContent()).toMatch(/^0 shown/);
    await liga.getByTestId('indicator-search').fill('');

    // Bulk edit: Alice selects two exfil hosts (click, then shift-click) and marks them investigating.
    await alice.getByTestId('indicator-search').fill('exfil-drop');
    await expect.poll(() => alice.getByTestId('indicator-count').textContent()).toMatch(/^30 shown/);
    const boxes = alice.locator('[data-testid^=ioc-row-] input[type=checkbox]');
    await boxes.nth(0).click();
    await boxes.nth(1).click({ modifiers: ['Shift'] });
    await expect.poll(() => alice.getByTestId('bulk-bar').textContent()).toContain('2 selected');
    await alice.getByTestId('bulk-status').selectOption('investigating');
    await liga.getByTestId('filter-status').selectOption('investigating');
    await expect.poll(() => liga.getByTestId('indicator-count').textContent(), { timeout: 10_000 }).toMatch(/^2 shown/);

    // A MISP event file goes through the same preview; one value is already on the board.
    const misp = {
      Event: {
        info: 'partner feed',
        Attribute: [
          { type: 'domain', value: 'new-partner-feed.example-hunt.net' },
          // The address on the board, here with its port: the same one indicator, the port shown as context.
          { type: 'ip-dst|port', value: '185.220.101.45|8443' },
        ],
      },
    };
    await alice.getByTestId('import-open').click();
    await alice.getByTestId('import-file').setInputFiles({ name: 'event.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(misp)) });
    await expect.poll(() => alice.getByTestId('import-preview').textContent()).toContain('2 distinct values');
    expect(await alice.getByTestId('import-preview').textContent()).toContain('1 already on the board');
    const mispRow = alice
      .getByTestId('import-preview')
      .locator('.preview-row')
      .filter({ has: alice.locator('.value-cell', { hasText: /^185\.220\.101\.45$/ }) });
    expect(await mispRow.getByTestId('preview-source').textContent()).toBe('port 8443 · ');
  });

  it('stays usable with 100,000 indicators: loads, filters and scrolls', async () => {
    const alice = await loginAs(suite.server.url, 'alice');
    const socket = io(suite.server.url, { transports: ['websocket'], extraHeaders: { cookie: alice.cookie! } });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const ws = suite.server.demo!.workspaceId;
    const started = Date.now();
    for (let b = 0; b < 20; b++) {
      const items = Array.from({ length: 5_000 }, (_, i) => ({ type: 'domain', value: `n${b * 5_000 + i}.bulk-${b}.example-hunt.net` }));
      const ack = await socket.timeout(60_000).emitWithAck('indicator:bulkCreate', { id: `bulk-e2e-${b}-${started}`, payload: { workspaceId: ws, items } });
      expect(ack.ok).toBe(true);
    }
    socket.disconnect();

    const page = await openBoard('ben');
    await expect.poll(() => page.getByTestId('indicator-count').textContent(), { timeout: 60_000 }).toMatch(/of 100\d{3}$/);
    const filterMs = await page.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('[data-testid=indicator-search]')!;
      const t0 = performance.now();
      // The prototype's setter, as typing does: React's own tracker on the element then sees a change.
      Reflect.set(HTMLInputElement.prototype, 'value', 'n4242.bulk-0', input);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        if (document.querySelector('[data-testid=indicator-count]')!.textContent.startsWith('1 shown')) return performance.now() - t0;
        if (performance.now() - t0 > 10_000) return -1;
      }
    });
    console.log(`100k board: filter to one row took ${filterMs.toFixed(0)} ms in the page`);
    expect(filterMs).toBeGreaterThan(0);
    expect(filterMs).toBeLessThan(2_000);
    expect(await page.locator('[data-testid^=ioc-row-]').count()).toBe(1);

    // Clearing the filter brings the whole board back; only a screenful of rows is in the DOM.
    await page.getByTestId('indicator-search').fill('');
    await expect.poll(() => page.getByTestId('indicator-count').textContent()).toMatch(/^100\d{3} shown/);
    expect(await page.locator('[data-testid^=ioc-row-]').count()).toBeLessThan(100);
    await page.getByTestId('indicator-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect.poll(() => page.locator('[data-testid^=ioc-row-]').count()).toBeGreaterThan(5);
    // Creating and loading 100,000 rows is the work here, not what is timed (the filter is): on a
    // machine busy with other jobs it takes longer than the suite's default 30 s.
  }, 120_000);
});
