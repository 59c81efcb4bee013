/**
 * Real files through the import dialog in real Chromium, committed by the server's import route: a
 * real STIX bundle (OASIS example) and a real MISP event (a CIRCL OSINT event from PyMISP's tests).
 * The preview says what the commit will do, the commit's outcome lists refused and skipped rows with
 * their reasons, the board holds the indicators afterwards (also another team's board, live), and the
 * same file again is merged, never a second row.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, loginInBrowser, pageErrors, openIndicatorBoard } from '../helpers/browser.js';
import { interopFixture } from '../helpers/fixtures.js';

const fixture = interopFixture;

describe('import through the dialog and the server route', () => {
  const suite = browserSuite();

  async function openBoard(username: string): Promise<Page> {
    const { page } = await suite.newPage();
    await loginInBrowser(page, username);
    await openIndicatorBoard(page, suite.server.demo!.workspaceId);
    return page;
  }

  async function importFile(page: Page, name: string, buffer: Buffer) {
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/json', buffer });
    await page.getByTestId('import-preview').waitFor();
  }

  /** Finds a value on the board: the table draws only the rows on screen, so search brings it into view. */
  async function seeOnBoard(page: Page, value: string) {
    await page.getByTestId('indicator-search').fill(value);
    await page.getByTestId(`ioc-row-${value}`).waitFor({ state: 'attached', timeout: 10_000 });
    await page.getByTestId('indicator-search').fill('');
  }

  it('a real STIX bundle: previewed, committed by the route, on both teams’ boards', async () => {
    const alice = await openBoard('alice');
    const ben = await openBoard('ben');
    await importFile(alice, 'sighting-of-observed-data.json', fixture('stix', 'oasis-sighting-of-observed-data.json'));
    await expect.poll(() => alice.getByTestId('import-preview').textContent()).toContain('4 distinct values');
    await expect.poll(() => alice.getByTestId('import-plan').textContent()).toMatch(/add 4 new · merge 0 .* refuse 0 · skip 0/);
    await alice.getByTestId('import-commit-btn').click();
    await expect.poll(() => alice.getByTestId('import-result').textContent(), { timeout: 15_000 }).toMatch(/^4 new · 0 merged .* 0 refused · 0 skipped/);
    await alice.getByTestId('import-close').click();
    for (const page of [alice, ben]) {
      await seeOnBoard(page, '1717b7fff97d37a1e1a0029d83492de1');
      await seeOnBoard(page, 'resume.pdf');
    }
    expect(pageErrors(alice)).toEqual([]);
    expect(pageErrors(ben)).toEqual([]);
  });

  it('a large log file: the commit follows the server’s progress stream (reading, then saving) to the result', async () => {
    const alice = await openBoard('alice');
    const text = Array.from({ length: 12_000 }, (_, i) => `beacon to host-${i}.progress-e2e.top seen in the proxy log`).join('\n');
    await alice.getByTestId('import-open').click();
    await alice.getByTestId('import-file').setInputFiles({ name: 'proxy.log', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await expect.poll(() => alice.getByTestId('import-plan').textContent(), { timeout: 20_000 }).toMatch(/add 12000 new/);
    await alice.getByTestId('import-commit-btn').click();
    // 12,000 values are six batches on the server: the bar shows the saving phase while they go in.
    await alice.locator('progress[aria-label="Saving"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => alice.getByTestId('import-result').textContent(), { timeout: 30_000 }).toMatch(/^12000 new · 0 merged /);
    await alice.getByTestId('import-close').click();
    await seeOnBoard(alice, 'host-11999.progress-e2e.top');
    expect(pageErrors(alice)).toEqual([]);
  }, 60_000);

  it('a CSV row naming an unknown team is shown refused before the commit, with the reason the server then gives', async () => {
    const alice = await openBoard('alice');
    const csv = ['value,type,tlp,releasable_to', 'to-canada.csv-e2e.top,hostname,AMBER,CA', 'to-nowhere.csv-e2e.top,hostname,AMBER,ZZ'].join('\n');
    await importFile(alice, 'teams.csv', Buffer.from(csv));
    await expect.poll(() => alice.getByTestId('import-plan').textContent()).toMatch(/add 1 new · merge 0 .* refuse 1 · skip 0/);
    expect(await alice.getByTestId('import-plan-refused').textContent()).toContain('to-nowhere.csv-e2e.top refused: unknown team: ZZ');
    await alice.getByTestId('import-commit-btn').click();
    await expect.poll(() => alice.getByTestId('import-result').textContent(), { timeout: 15_000 }).toMatch(/^1 new · 0 merged .* 1 refused · 0 skipped/);
    expect(await alice.getByTestId('import-rejected').textContent()).toContain('unknown team: ZZ');
    expect(pageErrors(alice)).toEqual([]);
  });

  it('a real MISP event: refused and skipped rows listed with reasons; the same file again is merged', async () => {
    const alice = await openBoard('alice');
    const file = fixture('misp', 'pymisp-circl-xorist-event.json');
    await importFile(alice, 'xorist.json', file);
    // 4 indicators; a registry key without its hive refused; 2 links, a comment and a text skipped as context.
    await expect.poll(() => alice.getByTestId('import-plan').textContent()).toMatch(/add 4 new · merge 0 .* refuse 1 · skip 4/);
    await alice.getByTestId('import-commit-btn').click();
    await expect.poll(() => alice.getByTestId('import-result').textContent(), { timeout: 15_000 }).toMatch(/^4 new · 0 merged .* 1 refused · 4 skipped/);
    const refused = await alice.getByTestId('import-rejected').textContent();
    expect(refused).toContain('Software\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run');
    expect(refused).toContain('a registry key starts with a hive');
    expect(await alice.getByTestId('import-skipped').textContent()).toContain('MISP type "link" is context, not an indicator');
    await alice.getByTestId('import-close').click();
    await seeOnBoard(alice, '0749bae92ca336a02c83d126e04ec628');
    await seeOnBoard(alice, '3Z4wnG9603it23y.exe');

    // Again: the preview knows the four are on the board, and the server merges them.
    await importFile(alice, 'xorist.json', file);
    await expect.poll(() => alice.getByTestId('import-plan').textContent()).toMatch(/add 0 new · merge 4 /);
    await alice.getByTestId('import-commit-btn').click();
    await expect.poll(() => alice.getByTestId('import-result').textContent(), { timeout: 15_000 }).toMatch(/^0 new · 4 merged /);
    expect(pageErrors(alice)).toEqual([]);
  });
});
