/**
 * The ATT&CK board in real Chromium: one team marks a technique, the other sees the mark live in the
 * first team's colour, the group-overlap panel ranks intrusion sets that use it, and the number of
 * linked indicators shows on the technique.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginAs } from '../helpers/http.js';
import { browserSuite, loginInBrowser, pageErrors } from '../helpers/browser.js';

describe('ATT&CK board in the browser', () => {
  const suite = browserSuite();

  async function openBoard(username: string): Promise<Page> {
    const { page } = await suite.newPage();
    await loginInBrowser(page, username);
    await page.goto(`/w/${suite.server.demo!.workspaceId}/attack`);
    await page.getByTestId('attack-matrix').locator('.tactic').first().waitFor();
    await expect.poll(() => page.getByTestId('attack-status').textContent(), { timeout: 10_000 }).toBe('Live');
    return page;
  }

  it('a mark set by one team appears live for another, with group overlap and linked indicators', async () => {
    const api = await loginAs(suite.server.url, 'alice');
    const created = await api.post(`/api/workspaces/${suite.server.demo!.workspaceId}/indicators`, {
      type: 'domain',
      value: 'ps-loader.example-c2.net',
      techniques: ['T1059.001'],
    });
    expect(created.status).toBe(201);

    const alice = await openBoard('alice');
    const ben = await openBoard('ben');
    expect(await alice.getByTestId('attack-matrix').locator('.tactic').count()).toBe(14);

    await alice.getByTestId('attack-search').fill('T1059.001');
    await alice
      .getByTestId('tech-T1059.001')
      .getByRole('button', { name: /PowerShell/ })
      .click();
    await expect.poll(() => alice.getByTestId('technique-panel').textContent()).toContain('1 linked indicator');
    await alice.getByTestId('mark-status').selectOption('observed');
    await alice.getByTestId('mark-comment').fill('encoded command on DC01');
    await alice.getByTestId('mark-save').click();

    await ben.getByTestId('attack-search').fill('T1059.001');
    const cell = ben.getByTestId('tech-T1059.001');
    await expect.poll(() => cell.locator('.mark').allTextContents(), { timeout: 10_000 }).toEqual(['US']);
    expect(await cell.locator('.ioc-count').textContent()).toContain('1');
    await expect.poll(() => ben.getByTestId('group-overlap').textContent()).toContain('1 shared');
    expect(pageErrors(alice)).toEqual([]);
    expect(pageErrors(ben)).toEqual([]);
  });
});
