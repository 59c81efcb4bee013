/**
 * The foundation as people use it, in real Chromium: two teams log in, an owner starts a hunt and
 * invites a new partner by link, the partner creates an account from the link, and the owner sees
 * the new member appear live without reloading.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, loginInBrowser, pageErrors } from '../helpers/browser.js';

describe('foundation in the browser', () => {
  const suite = browserSuite();

  const open = async (): Promise<Page> => (await suite.newPage()).page;

  it('an owner invites a new partner by link and sees the member appear live', async () => {
    const alice = await open();
    await loginInBrowser(alice, 'alice');
    await expect.poll(() => alice.getByTestId('connection-indicator').getAttribute('data-state')).toBe('online');

    // Start a hunt.
    await alice.getByTestId('create-workspace-name').fill('Operation BLUE FJORD');
    await alice.getByTestId('create-workspace-submit').click();
    await alice.getByTestId('nav-members').click();
    await alice.getByTestId('member-row-alice').waitFor();
    expect(await alice.locator('[data-testid^=member-row-]').count()).toBe(1);

    // Invite a Canadian hunter.
    await alice.getByTestId('invite-team').selectOption('CA');
    await alice.getByTestId('invite-role').selectOption('hunter');
    await alice.getByTestId('invite-submit').click();
    const url = await alice.getByTestId('invite-url').inputValue();
    expect(url).toMatch(/\/invite\/hri_/);

    // A new partner opens the link, logged out, and creates an account.
    const partner = await open();
    await partner.goto(new URL(url).pathname);
    await expect.poll(() => partner.getByTestId('invite-accept-form').textContent()).toContain('Operation BLUE FJORD');
    await partner.getByTestId('invite-username').fill('claire');
    await partner.getByTestId('invite-display-name').fill('Claire Roy');
    await partner.getByTestId('invite-password').fill('a long enough passphrase');
    await partner.getByTestId('invite-accept').click();
    await partner.getByTestId('nav-overview').waitFor();
    await expect.poll(() => partner.getByTestId('whoami').textContent()).toContain('Claire Roy');

    // Alice's open members panel shows Claire without a reload, in team CA.
    const row = alice.getByTestId('member-row-claire');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('CA');

    // The used invite cannot be used again.
    const third = await open();
    await third.goto(new URL(url).pathname);
    await expect.poll(() => third.getByTestId('error-banner').first().textContent()).toContain('used up');

    expect(pageErrors(alice)).toEqual([]);
    expect(pageErrors(partner)).toEqual([]);
  });

  it('two teams each see only their own workspaces, and a removed member is sent away live', async () => {
    const alice = await open();
    const ben = await open();
    await Promise.all([loginInBrowser(alice, 'alice'), loginInBrowser(ben, 'ben')]);

    // Alice's new hunt is hers alone.
    await alice.getByTestId('create-workspace-name').fill('US only hunt');
    await alice.getByTestId('create-workspace-submit').click();
    await alice.getByTestId('nav-members').click();
    await ben.reload();
    await ben.getByTestId('workspace-list').waitFor();
    expect(await ben.getByTestId('workspace-list').textContent()).not.toContain('US only hunt');

    // Alice adds Ben; Ben's list shows it after a refresh and he can open it.
    await alice.locator('#f-member-username').fill('ben');
    await alice.getByTestId('add-member-form').getByRole('button', { name: 'Add' }).click();
    await alice.getByTestId('member-row-ben').waitFor();
    await ben.reload();
    await ben.getByText('US only hunt').click();
    await ben.getByTestId('nav-members').click();
    await ben.getByTestId('member-row-ben').waitFor();

    // Alice removes Ben: his open page leaves the workspace without a reload.
    alice.once('dialog', (d) => void d.accept());
    await alice.getByTestId('member-row-ben').getByRole('button', { name: 'Remove' }).click();
    await ben.getByTestId('workspace-list').waitFor({ timeout: 10_000 });
    expect(await ben.getByTestId('workspace-list').textContent()).not.toContain('US only hunt');
  });

  it('shows a clear error for a wrong password and keeps the form', async () => {
    const page = await open();
    await page.goto('/');
    await page.getByTestId('login-username').fill('alice');
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toContain('wrong username or password');
    expect(await page.getByTestId('login-username').inputValue()).toBe('alice');
  });
});
