/**
 * A real MISP event (PyMISP's Ursnif test event, a bare event with sightings) through the import
 * dialog in real Chromium: recognized as MISP, previewed with the false-positive sightings unticked,
 * committed, and the indicators on the board with the event's galaxy tag.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, loginInBrowser, pageErrors, openIndicatorBoard } from '../helpers/browser.js';
import { interopFixture } from '../helpers/fixtures.js';

const fixture = (name: string) => interopFixture('misp', name);

describe('MISP import in the browser', () => {
  const suite = browserSuite();

  it('previews a real event with its false positives unticked and commits the rest', async () => {
    const { page } = await suite.newPage();
    await loginInBrowser(page, 'alice');
    await openIndicatorBoard(page, suite.server.demo!.workspaceId);

    await page.getByTestId('import-open').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'sighting_1.json', mimeType: 'application/json', buffer: fixture('sighting_1.json') });
    await expect.poll(() => page.getByTestId('import-preview').textContent()).toContain('5 distinct values');
    expect(await page.getByTestId('import-preview').textContent()).toContain('3 probably benign');
    expect(await page.getByTestId('import-commit-btn').textContent()).toContain('Commit 2 indicators');
    await page.getByTestId('import-commit-btn').click();
    await expect.poll(() => page.getByTestId('import-commit').textContent(), { timeout: 15_000 }).toContain('2 new');
    await page.getByTestId('ioc-row-ooiasjdnqjwbeasdasd.com').waitFor({ state: 'attached', timeout: 10_000 });
    expect(await page.getByTestId('ioc-row-eqowiesajenqweasd.com').count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  });
});
