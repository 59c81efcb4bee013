/**
 * The first minute on an empty indicator board (issue 19, "First minute"): a workspace with no
 * indicators says what belongs there and offers the import and add actions, instead of a blank box; the
 * first indicator replaces it live; an observer is told what will appear, with no actions.
 */
import { describe, expect, it } from 'vitest';
import { loginAs } from '../helpers/http.js';
import { browserSuite, loginInBrowser, openIndicatorBoard, pageErrors } from '../helpers/browser.js';

describe('indicator board: empty state', () => {
  const suite = browserSuite();

  it('offers import and add on an empty board, and gives way to the first indicator live', async () => {
    const alice = await loginAs(suite.server.url, 'alice');
    const ws = (await alice.post('/api/workspaces', { name: 'empty board' })).body.id as string;
    const { page } = await suite.newPage();
    await loginInBrowser(page, 'alice');
    await openIndicatorBoard(page, ws);
    const empty = page.getByTestId('indicators-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('No indicators yet');
    await empty.getByRole('button', { name: 'Paste or import' }).click();
    await page.getByTestId('import-text').waitFor();
    await page.keyboard.press('Escape');

    expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'first-one.example' })).status).toBe(201);
    await page.getByTestId('ioc-row-first-one.example').waitFor();
    expect(await empty.count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  });
});
