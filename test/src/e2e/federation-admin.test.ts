/**
 * Federation in real Chromium, two real instances (issue 20 items 2, 3): the US site admin adds the
 * link in Admin > Federation, LV's operator adds it with the CLI, and the page shows the link up; the US
 * owner shares a workspace from its Members area; LV's team admin accepts it on the Admin page for the
 * members she picks, and then finds it in her workspace list; the site admin suspends the link and
 * resumes it. Each screen is checked by axe and shot at 1440 and 390 px into
 * test/test-results/federation-*.png.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPage, pageErrors, screenshotAll } from '../helpers/browser.js';
import { makeWorkspace } from '../helpers/foundation.js';
import { axeViolations } from './layout/checks.js';
import { cli, loginOn, NATION_PASSWORD, sharesOn, startNation, type Nation } from '../helpers/federation.js';

const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** Full-page screenshots of `page` at a phone's and a desktop's width. */
async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${RESULTS}federation-${name}-${width}.png`, fullPage: true });
    // Nothing is wider than the screen at either width, and axe finds nothing serious.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${name} at ${width}px`).toBe(true);
    expect(await axeViolations(page), `${name} at ${width}px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function login(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(NATION_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('workspace-list').waitFor({ state: 'attached' });
}

describe('federation screens', () => {
  let us: Nation;
  let lv: Nation;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    [us, lv, browser] = await Promise.all([startNation('us-cert', 'US', ['alice', 'sam']), startNation('lv-cert', 'LV', ['liga', 'lauris']), launchBrowser()]);
    await cli(us, 'user', 'site-admin', '--username', 'sam', '--on');
  }, 90_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshotAll(ctx.task.name, pages);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  const open = async (node: Nation): Promise<Page> => {
    const { context, page } = await newPage(browser, node.url);
    contexts.push(context);
    pages.push(page);
    return page;
  };

  it('a link added in the screen comes up; an owner shares a workspace; the other team admin accepts it; the owner withdraws it', async () => {
    const ws = await makeWorkspace(await loginOn(us, 'alice'), 'Operation Birch Bark');

    // The US site admin: Admin > Federation, this instance's identity, add the link to LV.
    const sam = await open(us);
    await login(sam, 'sam');
    await sam.getByTestId('nav-admin').click();
    await sam.getByTestId('admin-federation-link').getByRole('link', { name: 'Federation' }).click();
    await sam.getByTestId('federation-page').waitFor();
    await expect.poll(() => sam.getByTestId('federation-identity-name').textContent()).toBe('us-cert');
    expect(await sam.getByTestId('federation-identity-key').inputValue()).toBe(us.publicKey);

    // A bad key is refused with a sentence next to the field, and nothing is added.
    await sam.getByTestId('link-add-name').fill('lv-cert');
    await sam.getByTestId('link-add-url').fill(lv.url);
    await sam.getByTestId('link-add-teams').fill('LV');
    await sam.getByTestId('link-add-key').fill('not a key');
    await sam.getByTestId('link-add-submit').click();
    await expect.poll(() => sam.getByTestId('link-add-form').getByTestId('error-banner').textContent()).toMatch(/key: a peer key starts with "ed25519:"/);
    expect(await sam.locator('#f-link-key-err').textContent()).toMatch(/a peer key starts with/);
    expect(await us.ctx.db.all('SELECT name FROM federation_links')).toEqual([]);

    await sam.getByTestId('link-add-key').fill(lv.publicKey);
    await sam.getByTestId('link-add-submit').click();
    await sam.getByTestId('link-added').waitFor();
    await expect.poll(() => sam.getByTestId('link-state-lv-cert').textContent()).toBe('Waiting for the other side');
    await shoot(sam, 'admin-waiting');

    // LV's operator adds the link with the CLI; the page shows it up without a reload.
    await cli(lv, 'federation', 'link', 'add', '--name', 'us-cert', '--url', us.url, '--teams', 'US', '--key', us.publicKey);
    await expect.poll(() => sam.getByTestId('link-state-lv-cert').textContent(), { timeout: 30_000 }).toBe('Up');
    await shoot(sam, 'admin-up');

    // The US owner shares the workspace from its Members area.
    const alice = await open(us);
    await login(alice, 'alice');
    await alice.goto(`/w/${ws}/members`);
    const form = alice.getByTestId('workspace-share-form');
    await form.waitFor();
    await form.getByTestId('workspace-share-link').selectOption('lv-cert');
    await form.getByTestId('workspace-share-role').selectOption('hunter');
    alice.once('dialog', (d) => void d.accept());
    await form.getByTestId('workspace-share-submit').click();
    await expect.poll(() => alice.getByTestId('share-state-lv-cert').textContent()).toBe('waiting for their team admin');
    await shoot(alice, 'owner-offered');

    // LV's team admin finds the offer on the Admin page, keeps lauris out, and accepts.
    await expect.poll(async () => (await sharesOn(lv)).find((s) => s.workspaceId === ws)?.state, { timeout: 30_000 }).toBe('offered');
    const liga = await open(lv);
    await login(liga, 'liga');
    expect(await liga.getByTestId('workspace-list').textContent()).not.toContain('Operation Birch Bark');
    await liga.getByTestId('nav-admin').click();
    const offers = liga.getByTestId('federation-offers');
    await offers.getByRole('heading', { name: /Operation Birch Bark/ }).waitFor();
    await shoot(liga, 'team-admin-offer');
    await offers.getByTestId('offer-member-lauris').uncheck();
    liga.once('dialog', (d) => void d.accept());
    await offers.getByRole('button', { name: 'Accept for 1 member' }).click();
    await liga.getByTestId('offer-accepted').waitFor();
    await liga.getByTestId('federation-offers-empty').waitFor();
    await liga.getByTestId('offer-accepted').getByRole('link', { name: 'Open it' }).click();
    await liga.waitForURL(`**/w/${ws}`);
    await liga.goto('/');
    await expect.poll(() => liga.getByTestId('workspace-list').textContent()).toContain('Operation Birch Bark');
    expect(
      (await lv.ctx.db.all<{ username: string }>('SELECT a.username FROM members m JOIN accounts a ON a.id = m.account_id WHERE m.workspace_id = ?', [ws])).map((r) => r.username),
    ).toEqual(expect.arrayContaining(['liga']));
    expect(await lv.ctx.db.get("SELECT m.role FROM members m JOIN accounts a ON a.id = m.account_id WHERE m.workspace_id = ? AND a.username = 'lauris'", [ws])).toBeUndefined();

    // The home sees the share active.
    await expect
      .poll(
        async () => {
          await alice.reload();
          return alice.getByTestId('share-state-lv-cert').textContent();
        },
        { timeout: 30_000 },
      )
      .toBe('shared');
    await shoot(alice, 'owner-shared');

    // The site admin suspends the link (confirmed) and resumes it by keyboard; the page follows.
    sam.once('dialog', (d) => void d.accept());
    await sam.getByTestId('link-suspend-lv-cert').click();
    await expect.poll(() => sam.getByTestId('link-state-lv-cert').textContent()).toBe('Suspended');
    await expect.poll(() => lv.ctx.federation?.isUp('us-cert'), { timeout: 30_000 }).toBe(false);
    sam.once('dialog', (d) => void d.accept());
    await sam.getByTestId('link-resume-lv-cert').focus();
    await sam.keyboard.press('Enter');
    await expect.poll(() => sam.getByTestId('link-state-lv-cert').textContent(), { timeout: 30_000 }).toBe('Up');
    const audit = await us.ctx.db.all<{ action: string; detail: string }>("SELECT action, detail FROM audit_log WHERE action LIKE 'federation.link.%' ORDER BY id");
    expect(audit.map((a) => [a.action, (JSON.parse(a.detail) as { via: string }).via])).toEqual([
      ['federation.link.added', 'admin screen'],
      ['federation.link.suspended', 'admin screen'],
      ['federation.link.resumed', 'admin screen'],
    ]);

    // The owner withdraws the share (confirmed): the row says so, lv-cert drops the replica, and liga's
    // workspace list no longer has it.
    alice.once('dialog', (d) => void d.accept());
    await alice.getByTestId('share-withdraw-lv-cert').click();
    await expect.poll(() => alice.getByTestId('share-state-lv-cert').textContent(), { timeout: 30_000 }).toBe('withdrawn');
    await expect.poll(async () => (await lv.ctx.db.get('SELECT id FROM workspaces WHERE id = ?', [ws])) ?? null, { timeout: 30_000 }).toBeNull();
    await liga.reload();
    await expect.poll(() => liga.getByTestId('workspace-list').textContent()).not.toContain('Operation Birch Bark');

    // The site admin rotates this instance's own key (confirmed): the screen shows the new key and says
    // the links are down until the other operator installs it; once lv-cert's does, the link is up again.
    const oldKey = await sam.getByTestId('federation-identity-key').inputValue();
    sam.once('dialog', (d) => void d.accept());
    await sam.getByTestId('federation-identity-rotate').click();
    await expect.poll(() => sam.getByTestId('federation-identity-rotated').isVisible()).toBe(true);
    const newKey = await sam.getByTestId('federation-identity-key').inputValue();
    expect(newKey).not.toBe(oldKey);
    expect(newKey).toMatch(/^ed25519:/);
    await expect.poll(() => lv.ctx.federation?.isUp('us-cert'), { timeout: 30_000 }).toBe(false);
    await expect.poll(() => sam.getByTestId('link-state-lv-cert').textContent(), { timeout: 30_000 }).not.toBe('Up');
    await shoot(sam, 'identity-rotated');
    await cli(lv, 'federation', 'link', 'rotate', '--name', 'us-cert', '--key', newKey);
    await expect.poll(() => sam.getByTestId('link-state-lv-cert').textContent(), { timeout: 30_000 }).toBe('Up');

    for (const p of [sam, alice, liga]) expect(pageErrors(p)).toEqual([]);
  }, 240_000);
});
