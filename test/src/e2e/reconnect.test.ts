/**
 * Graceful restart as a hunter sees it (DESIGN.md section 7): the server says it is restarting, the
 * page shows a reconnecting notice and an amber indicator, and when a node is back on the same
 * address and data the page is online again, the notice gone, and live member updates flow again
 * without a reload.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHuntroom, type Huntroom } from '@huntroom/server';
import { cspViolations, launchBrowser, loginInBrowser, newPage, pageErrors, screenshotAll } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { loginAs } from '../helpers/http.js';

describe('server restart in the browser', () => {
  let first: TestServer;
  let second: Huntroom | undefined;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    first = await startTestServer();
    browser = await launchBrowser();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshotAll(ctx.task.name, pages);
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await second?.close();
    // The test closed the first node already; stopping it again may throw, and its data dir must go anyway.
    await first.stop().catch(() => rmSync(first.dataDir, { recursive: true, force: true }));
  });

  it('shows a reconnecting notice while the server restarts, then is live again', async () => {
    const made = await newPage(browser, first.url);
    contexts.push(made.context);
    pages.push(made.page);
    const page = made.page;
    await loginInBrowser(page, 'alice');
    await page.getByTestId('create-workspace-name').fill('Restart drill');
    await page.getByTestId('create-workspace-submit').click();
    await page.getByTestId('nav-members').click();
    await page.getByTestId('member-row-alice').waitFor();
    await expect.poll(() => page.getByTestId('connection-indicator').getAttribute('data-state')).toBe('online');
    const workspaceId = new URL(page.url()).pathname.split('/')[2]!;

    // SIGTERM-style shutdown: the page is told, and says so.
    await first.close('server restarting');
    await expect.poll(() => page.getByTestId('connection-notice').textContent()).toContain('restarting');
    expect(await page.getByTestId('connection-indicator').getAttribute('data-state')).not.toBe('online');

    // A node comes back on the same address with the same data: the page reconnects by itself.
    const port = new URL(first.url).port;
    second = await startHuntroom({ env: { PORT: port, HOST: '127.0.0.1', DATA_DIR: first.dataDir, LOG_LEVEL: 'silent' } });
    await expect.poll(() => page.getByTestId('connection-indicator').getAttribute('data-state'), { timeout: 30_000 }).toBe('online');
    await expect.poll(() => page.getByTestId('connection-notice').count()).toBe(0);

    // It rejoined the workspace: a member added through the API now appears live.
    const alice = await loginAs(second.url, 'alice');
    const added = await alice.post(`/api/workspaces/${workspaceId}/members`, { username: 'liga', role: 'observer' });
    expect(added.status).toBe(201);
    await page.getByTestId('member-row-liga').waitFor({ timeout: 10_000 });
    expect(pageErrors(page)).toEqual([]);
    expect(cspViolations(page)).toEqual([]);
    // Generous: a node starting under a loaded CI machine takes seconds, and the clients' reconnect backoff
    // (up to 5 s) comes on top; what is tested is that the page comes back by itself, not how fast.
  }, 90_000);
});
