/**
 * Hunt notes in real Chromium: two teams type in one note and see each other live with named carets;
 * one goes offline, keeps typing, comes back, and nothing is lost; a version is saved and restored
 * and the other browser sees the restore live.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, loginInBrowser, pageErrors } from '../helpers/browser.js';

describe('notes in the browser', () => {
  const suite = browserSuite();

  async function open(username: string) {
    const made = await suite.newPage();
    await loginInBrowser(made.page, username);
    return made;
  }

  const editor = (p: Page) => p.getByTestId('note-editor');
  /** The note's text as stored: without others' caret name tags, which are drawn inside the editor. */
  const text = (p: Page) =>
    editor(p).evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
      return copy.textContent ?? '';
    });

  async function createNote(p: Page, title: string): Promise<string> {
    await p.goto(`/w/${suite.server.demo!.workspaceId}/notes`);
    await p.getByTestId('note-title').fill(title);
    await p.getByTestId('note-create').click();
    await editor(p).waitFor();
    return new URL(p.url()).pathname;
  }

  async function waitLive(p: Page) {
    await expect.poll(() => p.getByTestId('doc-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('synced');
  }

  it('two teams co-edit live, see each other, and an offline edit merges on reconnect', async () => {
    const alice = await open('alice');
    const ben = await open('ben');
    const path = await createNote(alice.page, 'Lateral movement on DC01');
    await ben.page.goto(path);
    await Promise.all([waitLive(alice.page), waitLive(ben.page)]);

    await editor(alice.page).click();
    await alice.page.keyboard.type('Alice: beacon to evil.example.com seen.');
    await expect.poll(() => text(ben.page)).toContain('Alice: beacon to evil.example.com seen.');
    await editor(ben.page).click();
    await ben.page.keyboard.press('End');
    await ben.page.keyboard.press('Enter');
    await ben.page.keyboard.type('Ben: confirmed on host FS02.');
    await expect.poll(() => text(alice.page)).toContain('Ben: confirmed on host FS02.');

    // Presence and named carets in team colours.
    await expect.poll(() => alice.page.getByTestId('presence').textContent()).toContain('Ben Tremblay');
    await expect.poll(() => alice.page.locator('.collaboration-carets__label').allTextContents()).toContain('Ben Tremblay');

    // Ben loses the network, keeps typing, and the header says changes are waiting.
    await ben.context.setOffline(true);
    await expect.poll(() => ben.page.getByTestId('doc-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('offline');
    await ben.page.keyboard.type(' Offline line from Ben.');
    await expect.poll(() => ben.page.getByTestId('connection-indicator').textContent()).toMatch(/unsynced edits in 1 document/);
    await editor(alice.page).click();
    await alice.page.keyboard.press('Control+End');
    await alice.page.keyboard.type(' Alice while Ben is away.');
    await ben.context.setOffline(false);

    for (const p of [alice.page, ben.page]) {
      await expect.poll(() => text(p), { timeout: 15_000 }).toContain('Offline line from Ben.');
      await expect.poll(() => text(p), { timeout: 15_000 }).toContain('Alice while Ben is away.');
    }
    expect(await text(alice.page)).toBe(await text(ben.page));

    // Defanged display changes what is drawn, not the text.
    await alice.page.getByTestId('defang-toggle').check();
    await expect.poll(() => editor(alice.page).innerText()).toContain('evil[.]example[.]com');
    expect(await editor(ben.page).innerText()).toContain('evil.example.com');
    expect(pageErrors(alice.page)).toEqual([]);
    expect(pageErrors(ben.page)).toEqual([]);
  });

  it('keeps what was typed offline in IndexedDB when the tab is closed, and delivers it on the next visit', async () => {
    const alice = await open('alice');
    const ben = await open('ben');
    const path = await createNote(alice.page, 'Offline notebook');
    await ben.page.goto(path);
    await Promise.all([waitLive(alice.page), waitLive(ben.page)]);

    await ben.context.setOffline(true);
    await expect.poll(() => ben.page.getByTestId('doc-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('offline');
    await editor(ben.page).click();
    await ben.page.keyboard.type('Written on the plane, never sent.');
    // Give y-indexeddb its moment to store the update, then close the tab while still offline.
    await ben.page.waitForTimeout(500);
    await ben.page.close();
    expect(await text(alice.page)).not.toContain('Written on the plane');

    // Later, online again, Ben opens the note in a new tab of the same browser profile.
    await ben.context.setOffline(false);
    const again = await ben.context.newPage();
    suite.track(again);
    await again.goto(path);
    await expect.poll(() => text(alice.page), { timeout: 15_000 }).toContain('Written on the plane, never sent.');
  });

  it('keeps a note this device never loaded read only while offline, and opens it for typing once the server answers', async () => {
    const alice = await open('alice');
    const ben = await open('ben');
    await createNote(alice.page, 'Never on this device');
    await waitLive(alice.page);
    await editor(alice.page).click();
    await alice.page.keyboard.type('Written by Alice before Ben opened it.');

    // Ben's list is loaded online; then his network drops, and he opens the note.
    await ben.page.goto(`/w/${suite.server.demo!.workspaceId}/notes`);
    const item = ben.page.getByTestId('note-item-Never on this device');
    await item.waitFor();
    await ben.context.setOffline(true);
    await item.getByRole('link').click();
    await expect
      .poll(() => ben.page.getByTestId('doc-loading').textContent(), { timeout: 10_000 })
      .toBe('This note is not on this device yet. It opens when the connection is back.');
    expect(await editor(ben.page).getAttribute('contenteditable')).toBe('false');
    // What he types goes nowhere rather than into an empty copy that would land at the note's end.
    await editor(ben.page).click();
    await ben.page.keyboard.type('typed into nothing');
    expect(await text(ben.page)).toBe('');

    await ben.context.setOffline(false);
    await waitLive(ben.page);
    await expect.poll(() => text(ben.page)).toBe('Written by Alice before Ben opened it.');
    await expect.poll(() => editor(ben.page).getAttribute('contenteditable')).toBe('true');
    expect(await ben.page.getByTestId('doc-loading').count()).toBe(0);
    await editor(ben.page).click();
    await ben.page.keyboard.press('Control+End');
    await ben.page.keyboard.type(' Ben adds a line.');
    await expect.poll(() => text(alice.page)).toBe('Written by Alice before Ben opened it. Ben adds a line.');
    expect(pageErrors(ben.page)).toEqual([]);
  });

  it('saves a named version and restores it live for the other team', async () => {
    const alice = await open('alice');
    const liga = await open('liga');
    const path = await createNote(alice.page, 'Timeline');
    await liga.page.goto(path);
    await Promise.all([waitLive(alice.page), waitLive(liga.page)]);

    await editor(alice.page).click();
    await alice.page.keyboard.type('First draft of the timeline.');
    await expect.poll(() => text(liga.page)).toContain('First draft');
    await alice.page.getByTestId('versions-toggle').click();
    await alice.page.getByTestId('version-name').fill('draft one');
    await alice.page.getByTestId('version-save').click();
    await alice.page.getByTestId('version-draft one').waitFor();

    await editor(alice.page).click();
    await alice.page.keyboard.press('Control+a');
    await alice.page.keyboard.type('Rewritten completely.');
    await expect.poll(() => text(liga.page)).toBe('Rewritten completely.');

    alice.page.once('dialog', (d) => void d.accept());
    await alice.page.getByTestId('version-restore-draft one').click();
    await expect.poll(() => text(liga.page), { timeout: 10_000 }).toBe('First draft of the timeline.');
    await expect.poll(() => text(alice.page)).toBe('First draft of the timeline.');
  });
});
