/**
 * Federation in real Chromium (issue 20 item 8): alice on us-cert and liga on lv-cert, each logged in to
 * her own nation's instance, co-edit one note of a shared workspace with named carets, and each sees
 * the indicators the other adds, live. A US-only indicator never shows on lv-cert.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPage, pageErrors, screenshotAll } from '../helpers/browser.js';
import { makeWorkspace } from '../helpers/foundation.js';
import { linkNations, loginOn, NATION_PASSWORD, shareWorkspace, startNation, type Nation } from '../helpers/federation.js';

describe('two instances in the browser', () => {
  let us: Nation;
  let lv: Nation;
  let browser: Browser;
  let ws: string;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice']), startNation('lv-cert', 'LV', ['liga'])]);
    await linkNations(us, lv);
    ws = await makeWorkspace(await loginOn(us, 'alice'), 'Operation Northern Light');
    await shareWorkspace(us, lv, ws, { role: 'hunter', members: ['liga'] });
    browser = await launchBrowser();
  }, 90_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshotAll(ctx.task.name, pages);
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    pages.length = 0;
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  async function open(nation: Nation, username: string): Promise<Page> {
    const { context, page } = await newPage(browser, nation.url);
    contexts.push(context);
    pages.push(page);
    await page.goto('/');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(NATION_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('workspace-list').waitFor();
    return page;
  }

  const editor = (p: Page) => p.getByTestId('note-editor');
  const text = (p: Page) =>
    editor(p).evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
      return copy.textContent ?? '';
    });
  const waitLive = (p: Page) => expect.poll(() => p.getByTestId('doc-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('synced');

  it('co-edits a note across instances with carets, and each side sees the indicators of the other live', async () => {
    const alice = await open(us, 'alice');
    const liga = await open(lv, 'liga');

    // The shared workspace is in liga's own list, on her own instance.
    await expect.poll(() => liga.getByTestId('workspace-list').textContent(), { timeout: 20_000 }).toContain('Operation Northern Light');

    await alice.goto(`/w/${ws}/notes`);
    await alice.getByTestId('note-title').fill('Beacon analysis');
    await alice.getByTestId('note-create').click();
    await editor(alice).waitFor();
    const noteId = new URL(alice.url()).pathname.split('/').pop()!;
    await waitLive(alice);
    await editor(alice).click();
    await alice.keyboard.type('Alice (US): beacon every 60 s to c2.northern-light.top.');

    await liga.goto(`/w/${ws}/notes/${noteId}`);
    await waitLive(liga);
    await expect.poll(() => text(liga), { timeout: 20_000 }).toContain('Alice (US): beacon every 60 s');
    await editor(liga).click();
    await liga.keyboard.press('Control+End');
    await liga.keyboard.press('Enter');
    await liga.keyboard.type('Liga (LV): same beacon on RIX-FS02.');
    await expect.poll(() => text(alice), { timeout: 20_000 }).toContain('Liga (LV): same beacon on RIX-FS02.');
    // Carets of the other instance's user, named as name@instance.
    await expect.poll(() => alice.locator('.collaboration-carets__label').allTextContents(), { timeout: 20_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/liga/i)]));
    expect(await text(alice)).toBe(await text(liga));

    // Indicators, both ways, live on the board.
    await alice.goto(`/w/${ws}/indicators`);
    await liga.goto(`/w/${ws}/indicators`);
    await alice.getByTestId('indicator-table').waitFor();
    await liga.getByTestId('indicator-table').waitFor();
    await alice.getByTestId('add-indicator').click();
    await alice.getByTestId('add-type').selectOption('domain');
    await alice.getByTestId('add-value').fill('c2.northern-light.top');
    await alice.getByTestId('add-submit').click();
    await expect.poll(() => liga.getByTestId('ioc-row-c2.northern-light.top').count(), { timeout: 20_000 }).toBe(1);

    await liga.getByTestId('add-indicator').click();
    await liga.getByTestId('add-type').selectOption('ip-dst');
    await liga.getByTestId('add-value').fill('198.51.100.77');
    await liga.getByTestId('add-submit').click();
    await expect.poll(() => alice.getByTestId('ioc-row-198.51.100.77').count(), { timeout: 20_000 }).toBe(1);

    expect(pageErrors(alice)).toEqual([]);
    expect(pageErrors(liga)).toEqual([]);
  }, 180_000);
});
