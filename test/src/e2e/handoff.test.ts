/**
 * Handoff in real Chromium: an owner prepares a package for a partner team and the downloaded ZIP holds
 * what is releasable to that team and nothing of the owner's AMBER+STRICT indicator; a hunter can only
 * export for their own team.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { loginAs } from '../helpers/http.js';
import { browserSuite, loginInBrowser, pageErrors } from '../helpers/browser.js';

describe('handoff in the browser', () => {
  const suite = browserSuite();

  it('an owner downloads a package for LV that holds only what LV may see', async () => {
    const ws = suite.server.demo!.workspaceId;
    const alice = await loginAs(suite.server.url, 'alice');
    expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'strict-us-only.example.net', tlp: 'AMBER+STRICT' })).status).toBe(201);
    expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'for-lv.example.net', tlp: 'RED', releasableTo: ['LV'] })).status).toBe(201);
    expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'for-ca.example.net', tlp: 'AMBER', releasableTo: ['CA'] })).status).toBe(201);

    const { page } = await suite.newPage();
    await loginInBrowser(page, 'alice');
    await page.goto(`/w/${ws}/handoff`);
    await page.getByTestId('export-recipient').selectOption('LV');
    await expect.poll(() => page.getByTestId('export-summary').textContent()).toMatch(/^For LV: \d+ indicators/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-package.zip').click()]);
    expect(download.suggestedFilename()).toMatch(/^huntroom-LV-.*\.zip$/);
    const files = unzipSync(await readFile((await download.path())!));
    expect(Object.keys(files).map((n) => n.replace(/^huntroom-LV-\d{4}-\d{2}-\d{2}/, '')).sort()).toEqual(['.csv', '.enterprise-attack.layer.json', '.misp.json', '.report.html', '.report.md', '.stix.json']);
    const all = Object.values(files).map(strFromU8).join('\n');
    expect(all).toContain('for-lv.example.net');
    expect(all).not.toContain('strict-us-only');
    expect(all).not.toContain('for-ca');
    expect(pageErrors(page)).toEqual([]);

    // A hunter sees only their own team as recipient.
    const ben = await suite.newPage();
    await loginInBrowser(ben.page, 'ben');
    await ben.page.goto(`/w/${ws}/handoff`);
    await expect.poll(() => ben.page.getByTestId('export-summary').textContent()).toMatch(/^For CA:/);
    expect(await ben.page.getByTestId('export-recipient').isDisabled()).toBe(true);
  });
});
