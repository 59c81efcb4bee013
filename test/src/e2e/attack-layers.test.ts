/**
 * The ATT&CK board at full size and on a phone, and Navigator layers on the page, in real Chromium:
 * all 14 Enterprise tactics inside a 1440 x 900 viewport (measured), the layer export downloading a
 * valid layer with the marks, the import of a Navigator 4.5 file creating marks another team sees
 * live, a bad file refused with a reason and nothing sent, and no import control for an observer.
 * Screenshots at 1440 and 390 px go to test/test-results/attack/ (and to HUNTROOM_SCREENSHOTS if set).
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginAs } from '../helpers/http.js';
import { observerOf } from '../helpers/partners.js';
import { interopFixture, interopFixtureText } from '../helpers/fixtures.js';
import { browserSuite, loginInBrowser, pageErrors } from '../helpers/browser.js';
import { axeViolations } from './layout/checks.js';

const SHOTS = fileURLToPath(new URL('../../test-results/attack/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png` });
  if (process.env.HUNTROOM_SCREENSHOTS) copyFileSync(`${SHOTS}${name}.png`, `${process.env.HUNTROOM_SCREENSHOTS}/${name}.png`);
}

interface Layer {
  versions: { layer: string };
  domain: string;
  techniques: { techniqueID: string; score?: number; metadata: { name: string; value: string }[] }[];
}

describe('ATT&CK board: full screen, phone, and Navigator layers', () => {
  const suite = browserSuite();
  const ws = () => suite.server.demo!.workspaceId;

  async function openBoard(username: string, password?: string): Promise<Page> {
    const { page } = await suite.newPage();
    await loginInBrowser(page, username, password);
    await page.goto(`/w/${ws()}/attack`);
    await page.getByTestId('attack-matrix').locator('.tactic').first().waitFor();
    await expect.poll(() => page.getByTestId('attack-status').textContent(), { timeout: 15_000 }).toBe('Live');
    return page;
  }

  it('shows all 14 Enterprise tactics inside a 1440 x 900 screen, with a heat map of two teams', async () => {
    // A busy board: MITRE's Bear_APT layer as CA's marks, and a scored third of it as US's.
    const ben = await loginAs(suite.server.url, 'ben');
    const alice = await loginAs(suite.server.url, 'alice');
    const bear = JSON.parse(interopFixtureText('navigator', 'Bear_APT.json')) as Layer;
    expect((await ben.request('POST', `/api/workspaces/${ws()}/attack/layer`, JSON.stringify(bear))).status).toBe(201);
    const statuses = ['observed', 'observed', 'suspected', 'not-found'];
    const us = {
      ...bear,
      name: 'US observations',
      techniques: bear.techniques
        .filter((_, i) => i % 3 === 0)
        .map((t, i) => ({ techniqueID: t.techniqueID, score: (i * 37) % 101, metadata: [{ name: 'US', value: statuses[i % 4] }] })),
    };
    expect((await alice.request('POST', `/api/workspaces/${ws()}/attack/layer`, JSON.stringify(us))).status).toBe(201);

    const page = await openBoard('alice');
    expect(page.viewportSize()).toEqual({ width: 1440, height: 900 });
    const tactics = page.getByTestId('attack-matrix').locator('.tactic');
    expect(await tactics.count()).toBe(14);
    await expect.poll(() => page.locator('.tech[data-heat="observed"]').count(), { timeout: 10_000 }).toBeGreaterThan(10);
    for (const box of await tactics.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.width).toBeGreaterThan(60);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(1440);
      expect(box.top).toBeLessThan(900);
    }
    const overflow = await page.evaluate(() => {
      const m = document.querySelector('[data-testid="attack-matrix"]')!;
      return { matrix: m.scrollWidth - m.clientWidth, page: document.documentElement.scrollWidth - window.innerWidth };
    });
    expect(overflow).toEqual({ matrix: 0, page: 0 });
    expect(await page.getByTestId('heat-legend').isVisible()).toBe(true);
    // Shaded cells keep readable text (white or black chosen per shade): axe checks the contrast.
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, 'attack');
    // The technique panel over the compact matrix (kept with the test results only).
    await page.getByTestId('tech-T1566').first().locator('.tech-name').click();
    await page.getByTestId('technique-description').waitFor();
    await page.screenshot({ path: `${SHOTS}attack-technique.png` });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('technique-panel').count()).toBe(0);

    // A phone: the matrix scrolls inside itself, the page does not grow sideways because of it.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.getByTestId('attack-matrix').evaluate((m) => m.scrollWidth > m.clientWidth)).toBe(true);
    const attackWidth = await page.locator('.attack-page').evaluate((e) => e.scrollWidth - e.clientWidth);
    expect(attackWidth).toBe(0);
    await shoot(page, 'attack-390');
    expect(await axeViolations(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  }, 90_000);

  it('exports a layer with the marks, and imports a Navigator 4.5 file that another team sees live', async () => {
    const alice = await openBoard('alice');
    const ben = await openBoard('ben');

    // Export: all teams, then the heat map's team only; the file is a 4.5 layer holding the marks.
    const [download] = await Promise.all([alice.waitForEvent('download'), alice.getByTestId('layer-export').click()]);
    expect(download.suggestedFilename()).toBe('huntroom-enterprise-attack-all.json');
    const layer = JSON.parse(readFileSync(await download.path(), 'utf8')) as Layer;
    expect(layer.versions.layer).toBe('4.5');
    expect(layer.domain).toBe('enterprise-attack');
    expect(layer.techniques.length).toBeGreaterThan(0);
    await alice.getByTestId('heat-source').selectOption('US');
    const [mine] = await Promise.all([alice.waitForEvent('download'), alice.getByTestId('layer-export').click()]);
    const usLayer = JSON.parse(readFileSync(await mine.path(), 'utf8')) as Layer;
    expect(usLayer.techniques.every((t) => t.metadata.every((m) => m.name.startsWith('US')))).toBe(true);

    // A bad file is refused in the browser, with the reason, and nothing is sent.
    await ben.getByTestId('layer-file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"name": "not a layer"}') });
    await expect.poll(() => ben.getByTestId('error-banner').textContent()).toContain('not a usable Navigator layer');
    expect(await ben.getByTestId('layer-confirm').count()).toBe(0);
    await ben.getByTestId('layer-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"name": ') });
    await expect.poll(() => ben.getByTestId('error-banner').textContent()).toContain('not a JSON file');

    // The Navigator's 4.5 example: its enabled techniques become CA's marks after a confirmation.
    await ben
      .getByTestId('layer-file')
      .setInputFiles({ name: 'layer-4.5-spec-example.json', mimeType: 'application/json', buffer: interopFixture('navigator', 'layer-4.5-spec-example.json') });
    const confirm = ben.getByTestId('layer-confirm');
    await expect.poll(() => confirm.textContent()).toContain('5 techniques become the marks of CA');
    await ben.getByTestId('layer-import').click();
    await expect.poll(() => ben.getByTestId('layer-result').textContent(), { timeout: 15_000 }).toContain('5 marks for CA');
    expect(await ben.getByTestId('error-banner').count()).toBe(0);

    // Alice (combined heat map again) sees CA's new marks without reloading; T1078 was disabled in the file.
    await alice.getByTestId('heat-source').selectOption('');
    await expect.poll(() => alice.getByTestId('tech-T1134').first().locator('.mark-dot[data-team="CA"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await alice.getByTestId('tech-T1134').first().getAttribute('data-heat')).toBe('observed');
    expect(await alice.getByTestId('tech-T1078').first().locator('.mark-dot[data-team="CA"]').count()).toBe(0);
    const exported = (await (await loginAs(suite.server.url, 'ben')).get(`/api/workspaces/${ws()}/attack/layer?team=CA`)).body as Layer;
    expect(exported.techniques.map((t) => t.techniqueID).sort()).toEqual(['T1053', 'T1098', 'T1110', 'T1110.001', 'T1134']);
    expect(pageErrors(alice)).toEqual([]);
    expect(pageErrors(ben)).toEqual([]);
  }, 90_000);

  it('gives an observer the export but no import control', async () => {
    await observerOf(await loginAs(suite.server.url, 'alice'), ws(), 'US');
    const olga = await openBoard('olga', 'observer-password-1');
    expect(await olga.getByTestId('layer-export').isVisible()).toBe(true);
    expect(await olga.getByTestId('layer-file').count()).toBe(0);
    expect(await olga.getByTestId('mark-save').count()).toBe(0);
    expect(pageErrors(olga)).toEqual([]);
  }, 60_000);
});
