/**
 * The CSV mapping step in real Chromium: a CSV with a header shows each column with what it means,
 * prefilled from the header; changing a column's meaning changes the preview; the commit keeps each
 * row's own TLP over the workspace default.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, loginInBrowser, pageErrors, openIndicatorBoard } from '../helpers/browser.js';

describe('CSV import in the browser', () => {
  const suite = browserSuite();

  it('maps the columns from the header, follows a change of mapping, and commits with the rows own TLP', async () => {
    const { page } = await suite.newPage();
    await loginInBrowser(page, 'alice');
    await openIndicatorBoard(page, suite.server.demo!.workspaceId);

    const csv = [
      'Indicator,Kind,Marking,Related',
      'csv-red.example-hunt.net,domain,TLP:RED,csv-related-1.example-hunt.net',
      'csv-amber.example-hunt.net,domain,amber,csv-related-2.example-hunt.net',
      '',
    ].join('\r\n');
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-csv-mapping').waitFor();
    expect(await page.getByTestId('import-csv-col-0').inputValue()).toBe('value');
    expect(await page.getByTestId('import-csv-col-1').inputValue()).toBe('type');
    expect(await page.getByTestId('import-csv-col-2').inputValue()).toBe('tlp');
    expect(await page.getByTestId('import-csv-col-3').inputValue()).toBe('ignore');
    await expect.poll(() => page.getByTestId('import-preview').textContent()).toContain('2 distinct values');

    // The fourth column holds values too: the preview follows the mapping.
    await page.getByTestId('import-csv-col-3').selectOption('value:domain');
    await expect.poll(() => page.getByTestId('import-preview').textContent()).toContain('4 distinct values');
    expect(await page.getByTestId('import-csv-col-3').inputValue()).toBe('value:domain');

    await page.getByTestId('import-commit-btn').click();
    await expect.poll(() => page.getByTestId('import-commit').textContent(), { timeout: 15_000 }).toContain('4 new');
    await page.getByTestId('import-close').click();
    await page.getByTestId('ioc-row-csv-red.example-hunt.net').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('ioc-row-csv-red.example-hunt.net').textContent()).toContain('RED');
    expect(await page.getByTestId('ioc-row-csv-amber.example-hunt.net').textContent()).toContain('AMBER');

    // A pasted table with a header goes through the same mapping step.
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-text').fill('value,type,tlp\ncsv-paste.example-hunt.net,domain,RED\n');
    await page.getByTestId('import-extract').click();
    await page.getByTestId('import-csv-mapping').waitFor();
    expect(await page.getByTestId('import-csv-col-2').inputValue()).toBe('tlp');
    await expect.poll(() => page.getByTestId('import-preview').textContent()).toContain('1 distinct value ');
    expect(pageErrors(page)).toEqual([]);
  });
});
