/**
 * Markings changed from the UI, in real Chromium: a note created at a chosen TLP and narrowed to
 * AMBER+STRICT from its page leaves the other team's list and closes their open copy; an indicator
 * narrowed from its detail panel disappears from the other team's board live.
 */
import { describe, expect, it } from 'vitest';
import { loginAs } from '../helpers/http.js';
import { browserSuite, loginInBrowser, pageErrors } from '../helpers/browser.js';

describe('markings in the browser', () => {
  const suite = browserSuite();

  it('narrowing a note and an indicator takes them away from the other team at once', async () => {
    const ws = suite.server.demo!.workspaceId;
    const alice = (await suite.newPage()).page;
    const ben = (await suite.newPage()).page;
    await Promise.all([loginInBrowser(alice, 'alice'), loginInBrowser(ben, 'ben')]);

    // A note created at GREEN, open in both browsers.
    await alice.goto(`/w/${ws}/notes`);
    await alice.getByTestId('note-title').fill('Marking drill');
    await alice.getByTestId('note-tlp').selectOption('GREEN');
    await alice.getByTestId('note-create').click();
    await alice.getByTestId('note-editor').waitFor();
    await expect.poll(() => alice.getByTestId('doc-marking').textContent()).toContain('TLP:GREEN');
    await ben.goto(new URL(alice.url()).pathname);
    await expect.poll(() => ben.getByTestId('doc-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('synced');

    // Alice narrows it; the editor says who will see it before she saves.
    await alice.getByTestId('doc-marking-edit').click();
    await alice.getByTestId('doc-marking-tlp').selectOption('AMBER+STRICT');
    expect(await alice.getByTestId('doc-marking-who').textContent()).toBe('Only team US will see it.');
    await alice.getByTestId('doc-marking-save').click();
    await expect.poll(() => alice.getByTestId('doc-marking').textContent()).toContain('TLP:AMBER+STRICT');
    await expect.poll(() => ben.getByTestId('doc-status').getAttribute('data-state'), { timeout: 10_000 }).not.toBe('synced');
    await ben.goto(`/w/${ws}/notes`);
    await ben.getByTestId('note-list').waitFor();
    await expect.poll(() => ben.getByTestId('note-list').textContent()).not.toContain('Marking drill');

    // An indicator narrowed from the detail panel leaves Ben's board live.
    const api = await loginAs(suite.server.url, 'alice');
    expect((await api.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'narrowed.example.net', tlp: 'GREEN' })).status).toBe(201);
    await Promise.all([alice.goto(`/w/${ws}/indicators`), ben.goto(`/w/${ws}/indicators`)]);
    await ben.getByTestId('ioc-row-narrowed.example.net').waitFor({ timeout: 10_000 });
    await alice.getByTestId('ioc-row-narrowed.example.net').click();
    await alice.getByTestId('detail-marking-edit').click();
    await alice.getByTestId('detail-marking-tlp').selectOption('RED');
    await alice.getByTestId('detail-marking-team-LV').check();
    expect(await alice.getByTestId('detail-marking-who').textContent()).toBe('Only US and LV will see it.');
    await alice.getByTestId('detail-marking-save').click();
    await expect.poll(() => ben.getByTestId('ioc-row-narrowed.example.net').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => alice.getByTestId('ioc-row-narrowed.example.net').textContent()).toContain('RED');
    expect(pageErrors(alice)).toEqual([]);
    expect(pageErrors(ben)).toEqual([]);
  });
});
