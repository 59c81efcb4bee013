/**
 * The foundation as people use it, in real Chromium under the production CSP: two teams log in, an
 * owner starts a hunt and invites a new partner by link, the partner's team admin approves the link
 * on the Admin page, the partner creates an account from the link, and the owner sees the new member appear live without reloading; each team sees only its
 * own workspaces; a removed member is sent away with a reason; login errors, rate limits, ended
 * sessions and access tokens say what happened.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, cspViolations, loginInBrowser, pageErrors } from '../helpers/browser.js';
import { loginAs } from '../helpers/http.js';

describe('foundation in the browser', () => {
  const suite = browserSuite();

  const open = async (): Promise<Page> => (await suite.newPage()).page;
  const listedNames = async (page: Page): Promise<string[]> => page.locator('[data-testid^=workspace-item-] .ws-name').allTextContents();

  it('an owner invites a new partner by link and sees the member appear live; the other team does not see the hunt', async () => {
    // The page is served with the strict CSP the app must work under.
    const head = await fetch(suite.server.url + '/');
    expect(head.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);

    // Two teams at once: alice (US owner) and ben (CA hunter).
    const alice = await open();
    const ben = await open();
    await Promise.all([loginInBrowser(alice, 'alice'), loginInBrowser(ben, 'ben')]);
    await expect.poll(() => alice.getByTestId('connection-indicator').getAttribute('data-state')).toBe('online');
    expect(await alice.getByTestId('connection-indicator').textContent()).toContain('Online');
    expect(await alice.getByTestId('whoami').textContent()).toContain('US');
    expect(await ben.getByTestId('whoami').textContent()).toContain('CA');

    // Alice starts a hunt: Enter in the name field submits the form.
    await alice.getByTestId('create-workspace-name').fill('Operation BLUE FJORD');
    await alice.getByTestId('create-workspace-description').fill('Joint hunt on the partner network.');
    await alice.getByTestId('create-workspace-tlp').selectOption('AMBER+STRICT');
    await alice.getByTestId('create-workspace-name').press('Enter');
    await alice.getByTestId('nav-overview').waitFor();
    expect(await alice.locator('.sidebar').textContent()).toContain('TLP:AMBER+STRICT');
    const workspaceId = new URL(alice.url()).pathname.split('/')[2]!;

    await alice.getByTestId('nav-members').click();
    await alice.getByTestId('member-row-alice').waitFor();
    expect(await alice.locator('[data-testid^=member-row-]').count()).toBe(1);

    // Invite a Canadian hunter.
    await alice.getByTestId('invite-team').selectOption('CA');
    await alice.getByTestId('invite-role').selectOption('hunter');
    await alice.getByTestId('invite-submit').click();
    const url = await alice.getByTestId('invite-url').inputValue();
    expect(url).toMatch(/\/invite\/hri_/);
    expect(await alice.getByTestId('invite-result').textContent()).toContain('hunter of team CA');

    // alice administers US, not CA: the link waits for CA's admins, and both sides see it waiting.
    expect(await alice.getByTestId('invite-pending-approval').textContent()).toContain('Waiting for the admins of team CA');
    await alice.getByTestId('invite-list').getByText("waiting for CA's admins").waitFor();
    const early = await open();
    await early.goto(new URL(url).pathname);
    await early.getByTestId('invite-pending').waitFor();
    expect(await early.getByTestId('invite-accept').count()).toBe(0);
    // Ben, CA's admin, approves it on his Admin page.
    await ben.getByTestId('nav-admin').click();
    const request = ben.getByTestId('invite-requests').locator('tr', { hasText: 'Operation BLUE FJORD' });
    await request.waitFor();
    expect(await request.textContent()).toContain('Alice Carter');
    ben.once('dialog', (d) => void d.accept());
    await request.getByRole('button', { name: 'Approve' }).click();
    await ben.getByTestId('invite-requests-empty').waitFor();
    await alice.getByTestId('invite-list-refresh').click();
    await alice.getByTestId('invite-list').getByText('usable').waitFor();

    // A new partner opens the link in a third browser, logged out, and creates an account.
    const partner = await open();
    await partner.goto(new URL(url).pathname);
    await expect.poll(() => partner.getByTestId('invite-info').textContent()).toContain('Operation BLUE FJORD');
    expect(await partner.getByTestId('invite-info').textContent()).toMatch(/hunter.*CA/);
    await partner.getByTestId('invite-username').fill('claire');
    await partner.getByTestId('invite-display-name').fill('Claire Roy');
    await partner.getByTestId('invite-password').fill('a long enough passphrase');
    await partner.getByTestId('invite-accept').click();
    await partner.getByTestId('nav-overview').waitFor();
    expect(new URL(partner.url()).pathname).toBe(`/w/${workspaceId}`);
    await expect.poll(() => partner.getByTestId('whoami').textContent()).toContain('Claire Roy');

    // Alice's open members panel shows Claire without a reload, in team CA as a hunter.
    const row = alice.getByTestId('member-row-claire');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('CA');
    expect(await alice.getByTestId('member-role-claire').inputValue()).toBe('hunter');
    expect(await alice.getByTestId('member-count').textContent()).toContain('2 members');

    // Ben (CA, not invited) sees exactly his own workspaces, which do not include alice's hunt.
    await ben.goto('/');
    await ben.getByTestId('workspace-list').waitFor();
    const bensOwn = (await (await loginAs(suite.server.url, 'ben')).get('/api/workspaces')).body.workspaces as { name: string }[];
    await expect.poll(() => listedNames(ben)).toEqual(expect.arrayContaining(bensOwn.map((w) => w.name)));
    expect(await listedNames(ben)).toHaveLength(bensOwn.length);
    expect(await listedNames(ben)).not.toContain('Operation BLUE FJORD');

    // The used invite cannot be used again, and says why.
    const third = await open();
    await third.goto(new URL(url).pathname);
    await expect.poll(() => third.getByTestId('error-banner').first().textContent()).toContain('used up');

    for (const p of [alice, ben, partner, third, early]) {
      expect(pageErrors(p)).toEqual([]);
      expect(cspViolations(p)).toEqual([]);
    }
  });

  it('a removed member is sent away live, and told why', async () => {
    const alice = await open();
    const ben = await open();
    await Promise.all([loginInBrowser(alice, 'alice'), loginInBrowser(ben, 'ben')]);

    await alice.getByTestId('create-workspace-name').fill('US only hunt');
    await alice.getByTestId('create-workspace-submit').click();
    await alice.getByTestId('nav-members').click();

    // Alice adds Ben by username; Ben opens it from his list.
    await alice.getByTestId('add-member-username').fill('ben');
    await alice.getByTestId('add-member-username').press('Enter');
    await alice.getByTestId('member-row-ben').waitFor();
    await ben.reload();
    await ben.getByText('US only hunt').click();
    await ben.getByTestId('nav-members').click();
    await ben.getByTestId('member-row-ben').waitFor();

    // Alice removes Ben (after confirming): his open page leaves the workspace without a reload.
    alice.once('dialog', (d) => void d.accept());
    await alice.getByTestId('member-remove-ben').click();
    await expect.poll(() => ben.getByTestId('page-notice').textContent(), { timeout: 10_000 }).toContain('no longer have access');
    expect(await listedNames(ben)).not.toContain('US only hunt');
    await expect.poll(() => alice.locator('[data-testid=member-row-ben]').count()).toBe(0);
  });

  it('login says plainly what went wrong: wrong password, then too many attempts', async () => {
    const page = await open();
    await page.goto('/');
    await page.getByTestId('login-username').fill('liga');
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toContain('wrong username or password');
    expect(await page.getByTestId('login-username').inputValue()).toBe('liga');

    // Use up the rest of liga's budget from this address, then try once more in the page.
    for (let i = 0; i < 10; i++) {
      await fetch(suite.server.url + '/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'liga', password: 'still wrong' }),
      });
    }
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toMatch(/Too many login attempts\. You can try again in \d+ s/);
    expect(await page.getByTestId('login-submit').isDisabled()).toBe(true);
  });

  it('a session ended in another tab brings the login form back with the reason', async () => {
    const { context, page } = await suite.newPage();
    await loginInBrowser(page, 'alice');
    await expect.poll(() => page.getByTestId('connection-indicator').getAttribute('data-state')).toBe('online');
    const other = suite.track(await context.newPage());
    await other.goto('/');
    await other.getByTestId('logout').click();
    await other.getByTestId('login-form').waitFor();

    // The first tab's live socket was closed by the server; the tab notices without a reload.
    await expect.poll(() => page.getByTestId('login-notice').textContent(), { timeout: 10_000 }).toContain('session has ended');
  });

  it('access tokens: created and shown once, listed, revoked', async () => {
    const page = await open();
    await loginInBrowser(page, 'ben');
    await page.getByTestId('nav-tokens').click();
    await page.getByTestId('token-name').fill('sensor import');
    await page.getByTestId('token-name').press('Enter');
    const token = await page.getByTestId('token-value').inputValue();
    expect(token.length).toBeGreaterThan(20);
    await page.getByTestId('token-row-sensor import').waitFor();

    // The token works as ben until revoked.
    const asBen = () => fetch(suite.server.url + '/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect((await asBen()).status).toBe(200);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke sensor import' }).click();
    await expect.poll(() => page.locator('[data-testid="token-row-sensor import"]').count()).toBe(0);
    expect((await asBen()).status).toBe(401);
  });
});
