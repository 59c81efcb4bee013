/**
 * Handoff in real Chromium: an owner presents live to LV; LV's admin approves the link; an official
 * joins with it in another browser as a guest, follows the presenter, never sees the owner's AMBER+STRICT indicator, can stop following,
 * and downloads a package holding only what LV may see; the end sends them out. An owner prepares a
 * package for a partner team; a hunter can only export for their own team.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { loginAs } from '../helpers/http.js';
import { browserSuite, loginInBrowser, pageErrors } from '../helpers/browser.js';

describe('handoff in the browser', () => {
  const suite = browserSuite();

  it('an official joins a live handoff by link, follows the presenter, and leaves with a package for LV only', async () => {
    const ws = suite.server.demo!.workspaceId;
    const api = await loginAs(suite.server.url, 'alice');
    expect((await api.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'live-strict-us.example.net', tlp: 'AMBER+STRICT' })).status).toBe(201);
    expect((await api.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'live-for-lv.example.net', tlp: 'AMBER', releasableTo: ['LV'] })).status).toBe(201);

    const alice = (await suite.newPage()).page;
    await loginInBrowser(alice, 'alice');
    await alice.goto(`/w/${ws}/handoff`);
    await alice.getByTestId('handoff-recipient').selectOption('LV');
    await alice.getByTestId('handoff-start').click();
    const link = await alice.getByTestId('handoff-url').inputValue();
    expect(link).toMatch(/\/invite\/hri_/);
    await expect.poll(() => alice.getByTestId('handoff-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => alice.getByTestId('handoff-bar').textContent()).toContain('You are presenting to LV');

    // alice is not LV's admin: the link waits for LV's admin, who approves it on the Admin page.
    expect(await alice.getByTestId('handoff-pending-approval').textContent()).toContain('approves this link');
    const liga = (await suite.newPage()).page;
    await loginInBrowser(liga, 'liga');
    await liga.getByTestId('nav-admin').click();
    const request = liga.getByTestId('invite-requests').locator('tr', { hasText: 'handoff guests' });
    await request.waitFor();
    liga.once('dialog', (d) => void d.accept());
    await request.getByRole('button', { name: 'Approve' }).click();
    await liga.getByTestId('invite-requests-empty').waitFor();

    // The official opens the link in another browser and creates a guest account of LV.
    const official = (await suite.newPage()).page;
    const seen: string[] = [];
    official.on(
      'response',
      (r) =>
        void r.text().then(
          (t) => seen.push(t),
          () => undefined,
        ),
    );
    await official.goto(new URL(link).pathname);
    await official.getByTestId('invite-username').fill('inga');
    await official.getByTestId('invite-display-name').fill('Inga Berzina');
    await official.getByTestId('invite-password').fill('a long partner passphrase');
    await official.getByTestId('invite-accept').click();
    await expect.poll(() => official.getByTestId('handoff-bar').textContent(), { timeout: 10_000 }).toContain('presented by Alice Carter: following');
    await expect.poll(() => alice.getByTestId('handoff-attendees').textContent()).toContain('Inga Berzina (LV)');
    // The presenter presents: only the official attends.
    expect(await alice.getByTestId('handoff-attendees').textContent()).toBe('1 attending: Inga Berzina (LV)');
    if (process.env.HUNTROOM_SCREENSHOTS) await alice.screenshot({ path: process.env.HUNTROOM_SCREENSHOTS + '/handoff.png', fullPage: true });

    // Alice opens the indicators; the official's browser goes there too and shows what LV may see.
    await alice.getByTestId('nav-indicators').click();
    await expect.poll(() => new URL(official.url()).pathname, { timeout: 10_000 }).toBe(`/w/${ws}/indicators`);
    // (The board shows values defanged: live-for-lv[.]example[.]net.)
    await expect.poll(() => official.locator('body').textContent(), { timeout: 10_000 }).toContain('live-for-lv');
    await expect.poll(() => alice.locator('body').textContent()).toContain('live-strict-us');
    expect(await official.locator('body').textContent()).not.toContain('live-strict-us');

    // Alice opens the indicator LV may see: the official's detail panel opens on it too.
    await alice.getByTestId('ioc-row-live-for-lv.example.net').click();
    await expect.poll(() => new URL(official.url()).searchParams.get('open'), { timeout: 10_000 }).toBeTruthy();
    await expect.poll(() => official.getByTestId('detail-panel').textContent(), { timeout: 10_000 }).toContain('live-for-lv');
    // She opens the strict one: its id never reaches LV, so the official's panel just closes.
    await alice.getByTestId('ioc-row-live-strict-us.example.net').click();
    await expect.poll(() => official.getByTestId('detail-panel').count(), { timeout: 10_000 }).toBe(0);
    expect(new URL(official.url()).search).toBe('');

    // Stop following: Alice moves on, the official stays.
    await official.getByTestId('handoff-follow-toggle').click();
    await alice.getByTestId('nav-attack').click();
    await new Promise((r) => setTimeout(r, 800));
    expect(new URL(official.url()).pathname).toBe(`/w/${ws}/indicators`);

    // The official takes a package for their own team.
    await official.getByTestId('nav-handoff').click();
    await expect.poll(() => official.getByTestId('export-summary').textContent()).toMatch(/^For LV:/);
    const [download] = await Promise.all([official.waitForEvent('download'), official.getByTestId('export-package.zip').click()]);
    const all = Object.values(unzipSync(await readFile(await download.path())))
      .map((f) => strFromU8(f))
      .join('\n');
    expect(all).toContain('live-for-lv.example.net');
    expect(all).not.toContain('live-strict-us');

    // Alice ends the session: the official's bar goes away. Nothing strict reached their browser.
    await alice.getByTestId('nav-handoff').click();
    alice.once('dialog', (d) => void d.accept());
    await alice.getByTestId('handoff-end-LV').click();
    await expect.poll(() => official.getByTestId('handoff-bar').count(), { timeout: 10_000 }).toBe(0);
    // The guest's membership ended with the session: the official's browser is sent out of the workspace.
    await official.getByTestId('page-notice').waitFor({ timeout: 10_000 });
    expect(await official.getByTestId('page-notice').textContent()).toContain('no longer have access');
    expect(seen.some((t) => t.includes('live-strict-us'))).toBe(false);
    expect(pageErrors(official)).toEqual([]);
    expect(pageErrors(liga)).toEqual([]);
    expect(pageErrors(alice)).toEqual([]);
  });

  it('an owner downloads a package for LV that holds only what LV may see', async () => {
    const ws = suite.server.demo!.workspaceId;
    const alice = await loginAs(suite.server.url, 'alice');
    expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'strict-us-only.example.net', tlp: 'AMBER+STRICT' })).status).toBe(201);
    expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'for-lv.example.net', tlp: 'RED', releasableTo: ['LV'] })).status).toBe(201);
    expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'for-ca.example.net', tlp: 'AMBER', releasableTo: ['CA'] })).status).toBe(201);

    const { page } = await suite.newPage();
    await loginInBrowser(page, 'alice');
    await page.goto(`/w/${ws}/handoff`);
    await page.getByTestId('export-recipient').selectOption('LV');
    await expect.poll(() => page.getByTestId('export-summary').textContent()).toMatch(/^For LV: \d+ indicators?,/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-package.zip').click()]);
    expect(download.suggestedFilename()).toMatch(/^huntroom-LV-.*\.zip$/);
    const files = unzipSync(await readFile(await download.path()));
    // The package's TLP label comes first (tlpNotice.ts), then the formats.
    const [notice, ...parts] = Object.keys(files);
    expect(notice).toMatch(/^TLP-(CLEAR|GREEN|AMBER|AMBER-STRICT|RED)\.txt$/);
    expect(parts.map((n) => n.replace(/^huntroom-LV-\d{4}-\d{2}-\d{2}/, '')).sort()).toEqual([
      '.csv',
      '.enterprise-attack.layer.json',
      '.hosts.csv',
      '.misp.json',
      '.report.html',
      '.report.md',
      '.stix.json',
      '.timeline.csv',
    ]);
    const all = Object.values(files)
      .map((f) => strFromU8(f))
      .join('\n');
    expect(all).toContain('for-lv.example.net');
    expect(all).not.toContain('strict-us-only');
    expect(all).not.toContain('for-ca');

    // STIX comes gzipped (the browser asks for it) and is saved unpacked: the bundle as JSON.
    // A download is the browser's own request, out of the page's sight: the node says how it answered.
    const encodings: unknown[] = [];
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.includes('/export/stix?')) res.once('finish', () => encodings.push(res.getHeader('content-encoding')));
    };
    suite.server.server.on('request', onRequest);
    const [stix] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-stix').click()]);
    await stix.path();
    suite.server.server.off('request', onRequest);
    expect(encodings).toEqual(['gzip']);
    const bundle = JSON.parse(await readFile(await stix.path(), 'utf8')) as { type: string; objects: { pattern?: string }[] };
    expect(bundle.type).toBe('bundle');
    const patterns = bundle.objects.map((o) => o.pattern ?? '').join('\n');
    expect(patterns).toContain('for-lv.example.net');
    expect(patterns).not.toContain('strict-us-only');
    expect(pageErrors(page)).toEqual([]);

    // A hunter sees only their own team as recipient.
    const ben = await suite.newPage();
    await loginInBrowser(ben.page, 'ben');
    await ben.page.goto(`/w/${ws}/handoff`);
    await expect.poll(() => ben.page.getByTestId('export-summary').textContent()).toMatch(/^For CA:/);
    expect(await ben.page.getByTestId('export-recipient').isDisabled()).toBe(true);
  });
});
