/**
 * Debian's Chromium driven by playwright-core (Playwright cannot download its own browser here).
 * Each test gets fresh contexts; a failing test leaves a screenshot of every open page in
 * test/test-results/ for whoever reads the CI log.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { startTestServer, type TestServer } from './server.js';

const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function newPage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  // The app must run under its CSP with no page errors; collect them so tests can assert none. A
  // blocked script or style is not a page error, only a console message: collect those apart.
  const errors: string[] = [];
  const csp: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) csp.push(m.text());
  });
  Object.assign(page, { errors, csp });
  return { context, page };
}

export const pageErrors = (page: Page): string[] => (page as Page & { errors?: string[] }).errors ?? [];

/** Console reports of anything the Content-Security-Policy blocked on this page. */
export const cspViolations = (page: Page): string[] => (page as Page & { csp?: string[] }).csp ?? [];

/** Saves a full-page screenshot of each page under a name built from the test's name. */
export async function screenshotAll(testName: string, pages: Page[]): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const safe = testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  await Promise.all(pages.map((p, i) => p.screenshot({ path: join(RESULTS, `${safe}-${i}.png`), fullPage: true }).catch(() => undefined)));
}

export async function loginInBrowser(page: Page, username: string, password = 'huntroom-demo'): Promise<void> {
  await page.goto('/');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('workspace-list').waitFor();
}

/** Opens a workspace's indicator board and waits until it is drawn and its connection is online. */
export async function openIndicatorBoard(page: Page, workspaceId: string): Promise<void> {
  await page.goto(`/w/${workspaceId}/indicators`);
  await page.getByTestId('indicator-table').waitFor();
  await expect.poll(() => page.getByTestId('connection-indicator').getAttribute('data-state')).toBe('online');
}

/**
 * Holds this page's document connections (y-websocket, /yjs/) as on a link that stalls: each socket
 * opens but the server never answers, so a document stays unloaded. `release()` closes the held
 * sockets; y-websocket reconnects, and from then on every socket goes through to the server.
 */
export async function holdDocSockets(page: Page): Promise<{ release(): Promise<void> }> {
  let holding = true;
  const held: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/yjs\//, (ws) => {
    if (!holding) return void ws.connectToServer();
    held.push(ws);
  });
  return {
    async release() {
      holding = false;
      for (const ws of held.splice(0)) await ws.close({ code: 1006, reason: 'link back' }).catch(() => undefined);
    },
  };
}

/**
 * The life cycle every browser suite shares: one real server and one Chromium per file, fresh contexts
 * per test (closed after it), and screenshots of every page of a failing test.
 */
export function browserSuite() {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshotAll(ctx.task.name, pages);
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    pages.length = 0;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get server(): TestServer {
      return server!;
    },
    /** A new context and page, closed after the test; `track` a page opened later in the same context. */
    async newPage(): Promise<{ context: BrowserContext; page: Page }> {
      const made = await newPage(browser!, server!.url);
      contexts.push(made.context);
      pages.push(made.page);
      return made;
    },
    track(page: Page): Page {
      pages.push(page);
      return page;
    },
  };
}
