/**
 * The ATT&CK board in real Chromium: one team marks a technique, the other sees it live (a dot in the
 * first team's colour, the cell shaded by the heat map) with the group-overlap panel and the linked
 * indicators; the heat map per team, the team and status filters and the tactic counts; keyboard use
 * of the matrix and the technique panel; descriptions rendered from Markdown.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginAs } from '../helpers/http.js';
import { browserSuite, holdDocSockets, loginInBrowser, pageErrors } from '../helpers/browser.js';
import { makeOperator } from '../helpers/foundation.js';
import { miniAttackBundle } from '../helpers/attack.js';

describe('ATT&CK board in the browser', () => {
  const suite = browserSuite();
  const ws = () => suite.server.demo!.workspaceId;

  async function openBoard(username: string): Promise<Page> {
    const { page } = await suite.newPage();
    await loginInBrowser(page, username);
    await page.goto(`/w/${ws()}/attack`);
    await page.getByTestId('attack-matrix').locator('.tactic').first().waitFor();
    await expect.poll(() => page.getByTestId('attack-status').textContent(), { timeout: 15_000 }).toBe('Live');
    return page;
  }

  /** Sets the caller's team mark on a technique through the panel. */
  async function mark(page: Page, id: string, status: string, score?: number, comment?: string) {
    await page.getByTestId('attack-search').fill(id);
    await page.getByTestId(`tech-${id}`).first().locator('.tech-name').click();
    await expect.poll(() => page.getByTestId('technique-panel').getAttribute('aria-label')).toContain(id);
    await page.getByTestId('mark-status').selectOption(status);
    await page.locator('#mark-score').fill(score === undefined ? '' : String(score));
    await page.getByTestId('mark-comment').fill(comment ?? '');
    await page.getByTestId('mark-save').click();
    await page.getByTestId('technique-close').click();
    await page.getByTestId('attack-search').fill('');
  }

  const heatOf = (page: Page, id: string) => page.getByTestId(`tech-${id}`).first().getAttribute('data-heat');
  const dotsOf = (page: Page, id: string) =>
    page
      .getByTestId(`tech-${id}`)
      .first()
      .locator('.mark-dot')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-team')));

  it('a mark set by one team shades the cell live for another, with group overlap and linked indicators', async () => {
    const api = await loginAs(suite.server.url, 'alice');
    const created = await api.post(`/api/workspaces/${ws()}/indicators`, { type: 'url', value: 'https://vpn.example-victim.org/dana-na/../x', techniques: ['T1190'] });
    expect(created.status).toBe(201);

    const alice = await openBoard('alice');
    const ben = await openBoard('ben');
    expect(await alice.getByTestId('attack-matrix').locator('.tactic').count()).toBe(14);
    expect(await ben.getByTestId('attack-matrix').getAttribute('data-mode')).toBe('compact');
    // Ben looks at the whole matrix while Alice marks: the shade must arrive without a reload.
    expect(await heatOf(ben, 'T1190')).toBe('');
    const unmarked = await ben.getByTestId('tech-T1189').evaluate((e) => getComputedStyle(e).backgroundColor);

    await alice.getByTestId('attack-search').fill('T1190');
    await alice.getByTestId('tech-T1190').locator('.tech-name').click();
    await expect.poll(() => alice.getByTestId('technique-panel').textContent()).toContain('1 linked indicator');
    await alice.getByTestId('mark-status').selectOption('observed');
    await alice.locator('#mark-score').fill('90');
    await alice.getByTestId('mark-comment').fill('exploited VPN appliance');
    await alice.getByTestId('mark-save').click();

    await expect.poll(() => heatOf(ben, 'T1190'), { timeout: 10_000 }).toBe('observed');
    expect(await dotsOf(ben, 'T1190')).toEqual(['US']);
    expect(await ben.getByTestId('tech-T1190').evaluate((e) => getComputedStyle(e).backgroundColor)).not.toBe(unmarked);
    expect(await ben.getByTestId('tech-T1190').locator('.tech-name').getAttribute('title')).toContain('US: observed (score 90) - exploited VPN appliance');
    await ben.getByTestId('show-groups').click();
    await expect.poll(() => ben.getByTestId('group-overlap').textContent()).toContain('T1190');

    // The detailed mode keeps the team chips and the linked indicator count, shaded the same.
    await ben.getByTestId('mode-detailed').click();
    const cell = ben.getByTestId('tech-T1190');
    await expect.poll(() => cell.locator('.mark').allTextContents()).toEqual(['US']);
    expect(await cell.locator('.ioc-count').textContent()).toContain('1');
    expect(await cell.getAttribute('data-heat')).toBe('observed');
    expect(pageErrors(alice)).toEqual([]);
    expect(pageErrors(ben)).toEqual([]);
  }, 90_000);

  it('keeps the board unmarkable until its marks are loaded, then marks with what the board holds', async () => {
    const alice = await openBoard('alice');
    await mark(alice, 'T1059', 'observed', 60, 'seen by the US team');

    // Ben's document link stalls: the matrix (plain HTTP) is drawn, the board's marks never arrive.
    const { page: ben } = await suite.newPage();
    await loginInBrowser(ben, 'ben');
    const link = await holdDocSockets(ben);
    await ben.goto(`/w/${ws()}/attack`);
    await ben.getByTestId('attack-matrix').locator('.tactic').first().waitFor();
    await expect.poll(() => ben.getByTestId('doc-loading').textContent(), { timeout: 10_000 }).toBe('Loading the ATT&CK board…');
    await ben.getByTestId('attack-search').fill('T1059');
    await ben.getByTestId('tech-T1059').first().locator('.tech-name').click();
    await ben.getByTestId('technique-panel').waitFor();
    // No form to mark with, no layer import, and no claim that nobody marked it.
    expect(await ben.getByTestId('technique-marks').textContent()).toBe('The board’s marks are not loaded yet.');
    expect(await ben.getByTestId('mark-save').count()).toBe(0);
    expect(await ben.getByTestId('layer-file').count()).toBe(0);

    await link.release();
    await expect.poll(() => ben.getByTestId('attack-status').textContent(), { timeout: 15_000 }).toBe('Live');
    await expect.poll(() => ben.getByTestId('technique-marks').textContent()).toContain('US observed · score 60 · seen by the US team');
    expect(await ben.getByTestId('doc-loading').count()).toBe(0);
    expect(await ben.getByTestId('layer-file').count()).toBe(1);
    await ben.getByTestId('mark-status').selectOption('suspected');
    await ben.getByTestId('mark-save').click();
    await expect.poll(() => dotsOf(alice, 'T1059')).toEqual(['US', 'CA']);
    expect(pageErrors(ben)).toEqual([]);
  });

  it('shades per team or combined, filters by team and by status, counts per tactic, and shows a legend', async () => {
    const alice = await openBoard('alice');
    const ben = await openBoard('ben');
    const counted = async () => {
      const badge = alice.getByTestId('marked-lateral-movement');
      return (await badge.count()) ? Number((await badge.textContent())!.split(' ')[0]) : 0;
    };
    const before = await counted();
    await mark(alice, 'T1189', 'suspected', 40);
    await mark(ben, 'T1189', 'observed', 70, 'watering hole on a supplier site');
    await mark(ben, 'T1210', 'not-found');
    await mark(ben, 'T1595.001', 'observed');

    const legend = alice.getByTestId('heat-legend');
    expect(await legend.isVisible()).toBe(true);
    for (const s of ['observed', 'suspected', 'not-found', 'score 0']) expect(await legend.textContent()).toContain(s);

    // Combined: the strongest status of any team; a folded parent shows its marked sub-technique.
    await expect.poll(() => heatOf(alice, 'T1189'), { timeout: 10_000 }).toBe('observed');
    await expect.poll(() => dotsOf(alice, 'T1189')).toEqual(expect.arrayContaining(['US', 'CA']));
    await expect.poll(() => alice.getByTestId('tech-T1595').getAttribute('data-sub-heat'), { timeout: 10_000 }).toBe('observed');
    await expect.poll(() => heatOf(alice, 'T1210'), { timeout: 10_000 }).toBe('not-found');
    expect(await counted()).toBe(before + 1);
    // One team: that team's mark only.
    await alice.getByTestId('heat-source').selectOption('US');
    expect(await heatOf(alice, 'T1189')).toBe('suspected');
    expect(await heatOf(alice, 'T1210')).toBe('');
    expect(await alice.getByTestId('layer-export').textContent()).toContain('US');
    await alice.getByTestId('heat-source').selectOption('');
    expect(await heatOf(alice, 'T1210')).toBe('not-found');

    // Hiding CA removes its marks from the shading, the strips and the counts.
    await alice.getByTestId('team-filter-CA').click();
    expect(await heatOf(alice, 'T1189')).toBe('suspected');
    expect(await dotsOf(alice, 'T1189')).toEqual(['US']);
    expect(await heatOf(alice, 'T1210')).toBe('');
    expect(await counted()).toBe(before);
    await alice.getByTestId('team-filter-CA').click();
    // Hiding "not-found" marks, then showing only marked techniques.
    await alice.getByTestId('status-filter-not-found').click();
    expect(await heatOf(alice, 'T1210')).toBe('');
    await alice.getByTestId('marked-only').check();
    expect(await alice.getByTestId('tech-T1210').count()).toBe(0);
    expect(await alice.getByTestId('tech-T1200').count()).toBe(0);
    expect(await heatOf(alice, 'T1189')).toBe('observed');
    // The marked sub-technique shows under its parent without unfolding by hand.
    expect(await heatOf(alice, 'T1595.001')).toBe('observed');
    expect(pageErrors(alice)).toEqual([]);
  }, 90_000);

  it('moves through the matrix with the arrow keys, opens with Enter and closes with Escape', async () => {
    const page = await openBoard('ben');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-cell'));
    const first = page.getByTestId('tactic-reconnaissance').locator('.tech-name').first();
    expect(await first.getAttribute('tabindex')).toBe('0');
    await first.focus();
    const start = await focused();
    expect(start).toMatch(/^reconnaissance\//);
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(await page.getByTestId('tactic-reconnaissance').locator('.tech-name').nth(1).getAttribute('data-cell'));
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toMatch(/^resource-development\//);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe(start);
    // Only one cell is in the tab order: the one the keyboard is on.
    expect(await page.locator('.tech-name[tabindex="0"]').count()).toBe(1);

    await page.keyboard.press('Enter');
    const panel = page.getByTestId('technique-panel');
    await panel.waitFor();
    expect(await panel.getAttribute('aria-label')).toContain(start!.split('/')[1]);
    // The close button sits on the title's first line, to its right.
    const title = (await panel.locator('h2').boundingBox())!;
    const close = (await page.getByTestId('technique-close').boundingBox())!;
    expect(close.x).toBeGreaterThanOrEqual(title.x + title.width - 1);
    expect(close.y).toBeLessThan(title.y + 20);
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await focused()).toBe(start);
    expect(pageErrors(page)).toEqual([]);
  }, 60_000);

  it('renders descriptions from Markdown: links, inline HTML code, and ATT&CK links opened in place', async () => {
    const page = await openBoard('alice');
    await page.goto(`/w/${ws()}/attack?open=T1003.008`);
    const description = page.getByTestId('technique-description');
    await description.waitFor();
    expect(await description.locator('code').allTextContents()).toEqual(['/etc/passwd', '/etc/shadow']);
    expect(await description.textContent()).not.toContain('<code>');

    await page.goto(`/w/${ws()}/attack?open=T1021`);
    await description.waitFor();
    const link = description.getByRole('link', { name: 'Valid Accounts' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await description.textContent()).not.toContain('](');
    await link.click();
    await expect.poll(() => page.getByTestId('technique-panel').getAttribute('aria-label')).toBe('T1078 Valid Accounts');
    expect(pageErrors(page)).toEqual([]);
  }, 60_000);

  it('renders a hostile description as text: no script, image, handler or javascript: link runs', async () => {
    // The catalog is the operator's to replace: a bundle whose technique description carries HTML
    // and a javascript: link, as a tampered STIX file could (ICS, which no other test here reads).
    const bundle = miniAttackBundle('Hostile technique');
    const long = 'https://example.org/a/very/long/path/that/keeps/going/without/a/break';
    const hostile = `Adversaries may <img src=x onerror="window.__xss=1"><script>window.__xss=2</script>[a link](javascript:alert(3)) <a href="${long}" onclick="window.__xss=4">${long}</a> end.`;
    expect(hostile.length).toBeLessThan(300);
    Object.assign(bundle.objects[3]!, { description: hostile });
    expect((await (await makeOperator(suite.server)).post('/api/attack/import', bundle)).status).toBe(201);

    const page = await openBoard('alice');
    const dialogs: string[] = [];
    page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
    await page.getByTestId('attack-domain').selectOption('ics-attack');
    await page.getByTestId('tech-T0999').locator('.tech-name').click();
    const description = page.getByTestId('technique-description');
    await description.waitFor();
    expect(await description.textContent()).toContain('Adversaries may');
    expect(await description.locator('img, script, [onerror], [onclick]').count()).toBe(0);
    expect(await description.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([null, long]);
    await description.getByText('a link').click();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // The long URL's link text wraps inside the panel instead of widening it.
    const panel = page.getByTestId('technique-panel');
    expect(await panel.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    expect(pageErrors(page)).toEqual([]);
  }, 60_000);
});
