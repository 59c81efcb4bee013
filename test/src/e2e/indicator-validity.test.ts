/**
 * End of validity in real Chromium: OpenCTI's indicator bundle (two addresses valid until 2021) through
 * the import dialog is previewed with each flagged "expired on 2021-04-17" and kept ticked; once
 * committed the table marks them expired and the detail panel says so; a new end of validity set in
 * the panel lifts the mark.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, loginInBrowser, pageErrors, openIndicatorBoard } from '../helpers/browser.js';
import { interopFixture } from '../helpers/fixtures.js';

const fixture = (name: string) => interopFixture('stix', name);

describe('indicator end of validity in the browser', () => {
  const suite = browserSuite();

  it('flags expired STIX indicators in the preview, keeps them ticked, marks them on the board, and an edit lifts the mark', async () => {
    const { page } = await suite.newPage();
    await loginInBrowser(page, 'alice');
    await openIndicatorBoard(page, suite.server.demo!.workspaceId);

    await page.getByTestId('import-open').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'indicator_stix.json', mimeType: 'application/json', buffer: fixture('opencti-indicator_stix.json') });
    await expect.poll(() => page.getByTestId('import-preview').textContent()).toContain('2 distinct values');
    expect(await page.getByTestId('preview-row-0').textContent()).toContain('expired on 2021-04-17');
    expect(await page.getByTestId('preview-row-1').textContent()).toContain('expired on 2021-04-17');
    // Expired is not benign: both stay ticked.
    expect(await page.getByTestId('import-commit-btn').textContent()).toContain('Commit 2 indicators');
    await page.getByTestId('import-commit-btn').click();
    await expect.poll(() => page.getByTestId('import-commit').textContent(), { timeout: 15_000 }).toContain('2 new');

    const row = page.getByTestId('ioc-row-103.83.192.6');
    await row.waitFor({ state: 'attached', timeout: 10_000 });
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => row.getByTestId('expired-mark').count()).toBe(1);
    await row.click();
    await expect.poll(() => page.getByTestId('detail-valid-until').textContent()).toContain('expired on 2021-04-17');

    // A new end of validity (UTC) from the panel: the row is no longer marked, the panel says until when.
    await page.getByTestId('detail-valid-until-input').fill('2031-01-02T03:04');
    await page.getByTestId('detail-valid-until-input').blur();
    await expect.poll(() => row.getByTestId('expired-mark').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('detail-valid-until').textContent()).toContain('valid until');
    expect(await page.getByTestId('ioc-row-192.185.46.253').getByTestId('expired-mark').count()).toBe(1);
    expect(pageErrors(page)).toEqual([]);
  });
});
