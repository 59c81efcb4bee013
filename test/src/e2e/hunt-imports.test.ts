/**
 * The hunt import dialogs in real Chromium against a real server: an nmap XML scan and a hosts CSV
 * with a remapped column into a network (preview with per-row problems, planned new and merged hosts,
 * the server's result), a plaso l2tcsv super-timeline onto the timeline, another team's page showing
 * the imported items live; the dialogs take the focus and close on Escape. Screenshots of the dialogs
 * go to test/test-results/hunt/ (and docs/screenshots/ when HUNT_DOC_SHOTS is set).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginAs } from '../helpers/http.js';
import { huntBrowser } from '../helpers/huntBrowser.js';
import { browserSuite, cspViolations, pageErrors } from '../helpers/browser.js';

const SHOTS = fileURLToPath(new URL('../../test-results/hunt/', import.meta.url));
const DOC_SHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });
const fixture = (path: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/hunt/${path}`, import.meta.url)));

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png` });
  if (process.env.HUNT_DOC_SHOTS) await page.screenshot({ path: `${DOC_SHOTS}${name}.png` });
}

/** True when the focused element is inside the element of that test id. */
const focusInside = (page: Page, testId: string) => page.evaluate((id) => !!document.activeElement?.closest(`[data-testid="${id}"]`), testId);

describe('hunt imports in the browser', () => {
  const suite = browserSuite();
  const { ws, open, socketOf, command } = huntBrowser(suite, 'hunt-import-e2e');

  it('an nmap scan and a hosts CSV with a remapped column into a network; the other team sees the hosts live; Escape closes the dialog', async () => {
    const alice = await socketOf('alice');
    const { network } = await command<{ network: { id: string } }>(alice, 'network:create', { name: 'Canopo office' });
    // Already known: canopo by its address; the scan adds its MAC, and servidor (same MAC) merges into it.
    await command(alice, 'host:create', { networkId: network.id, hostname: 'canopo', addresses: ['10.0.0.100'] });

    const us = await open('alice', `/n/${network.id}`);
    const ca = await open('ben', `/n/${network.id}`);
    await expect.poll(() => ca.getByTestId('host-count').textContent()).toBe('1 shown of 1');

    // The dialog takes the focus, keeps it, and Escape closes it giving the focus back.
    await us.getByTestId('host-import').click();
    await us.getByTestId('hosts-import').waitFor();
    expect(await focusInside(us, 'hosts-import')).toBe(true);
    for (let i = 0; i < 6; i++) await us.keyboard.press('Tab');
    expect(await focusInside(us, 'hosts-import')).toBe(true);
    await us.keyboard.press('Escape');
    await expect.poll(() => us.getByTestId('hosts-import').count()).toBe(0);
    expect(await us.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('host-import');

    // nmap XML from a file: four hosts up; canopo merges into the known host, servidor into canopo (same MAC).
    await us.getByTestId('host-import').click();
    await us.getByTestId('hunt-import-file').setInputFiles({ name: 'xml_test11.xml', mimeType: 'text/xml', buffer: fixture('nmap/xml_test11.xml') });
    await expect.poll(() => us.getByTestId('hosts-import-format').inputValue()).toBe('nmap');
    await expect.poll(() => us.getByTestId('hosts-import-plan').textContent()).toBe('2 new hosts · 2 merge into hosts already there · 0 rows refused');
    expect(await us.getByTestId('hosts-import-row-1').textContent()).toContain('merges into canopo');
    expect(await us.getByTestId('hosts-import-row-3').textContent()).toContain('same host as row 1');
    await shoot(us, 'hunt-import-nmap');
    await us.getByTestId('hosts-import-commit').click();
    await us.getByTestId('hunt-import-result').waitFor({ timeout: 30_000 });
    expect(await us.getByTestId('hunt-import-created').textContent()).toBe('2');
    expect(await us.getByTestId('hunt-import-merged').textContent()).toBe('2');
    expect(await us.getByTestId('hunt-import-refused').textContent()).toBe('0');
    await us.getByTestId('hunt-import-done').click();
    await expect.poll(() => ca.getByTestId('host-count').textContent(), { timeout: 10_000 }).toBe('3 shown of 3');
    await ca.getByTestId('host-row-canopo').click();
    await expect.poll(() => ca.getByTestId('host-detail').textContent()).toContain('00:e0:7d:f5:00:7d');

    // A hosts CSV pasted: "Addr" is no header the reader knows, so it is ignored until remapped to address.
    const csv = [
      'Asset,Addr,Platform,Function',
      'fs02,10.0.5.2,Windows Server 2022,file',
      'ws-101,10.0.5.101,Windows 11,laptop',
      'bad host,10.0.5.9,Linux,server',
      'printer7,10.0.0.150,,other',
      'ws-102,999.1.1.1,Windows 11,laptop',
      'kiosk,10.0.5.50,Windows 10,vending machine',
    ].join('\n');
    await us.getByTestId('host-import').click();
    await us.getByTestId('hunt-import-text').fill(csv);
    await us.getByTestId('hunt-import-read').click();
    await expect.poll(() => us.getByTestId('hosts-import-col-1').inputValue()).toBe('ignore');
    expect(await us.getByTestId('hosts-import-col-0').inputValue()).toBe('hostname');
    expect(await us.getByTestId('hosts-import-col-3').inputValue()).toBe('role');
    // Without the address column printer7 is new and ws-102 is fine; with it, one merges and one is refused.
    await expect.poll(() => us.getByTestId('hosts-import-plan').textContent()).toBe('4 new hosts · 0 merge into hosts already there · 2 rows refused');
    await us.getByTestId('hosts-import-col-1').selectOption('address');
    await expect.poll(() => us.getByTestId('hosts-import-plan').textContent()).toBe('2 new hosts · 1 merge into hosts already there · 3 rows refused');
    expect(await us.getByTestId('hosts-import-row-4').textContent()).toContain('refused: hostname "bad host" holds spaces or separators');
    expect(await us.getByTestId('hosts-import-row-5').textContent()).toContain('merges into 10.0.0.150');
    expect(await us.getByTestId('hosts-import-row-6').textContent()).toContain('"999.1.1.1" is not an IPv4, IPv6 or MAC address');
    expect(await us.getByTestId('hosts-import-row-7').textContent()).toContain('unknown role "vending machine"');
    await us.getByTestId('hunt-import-tlp').selectOption('GREEN');
    await shoot(us, 'hunt-import-hosts-csv');
    await us.setViewportSize({ width: 390, height: 844 });
    await shoot(us, 'hunt-import-hosts-csv-390');
    await us.setViewportSize({ width: 1440, height: 900 });
    await us.getByTestId('hosts-import-commit').click();
    await us.getByTestId('hunt-import-result').waitFor({ timeout: 30_000 });
    expect(await us.getByTestId('hunt-import-created').textContent()).toBe('2');
    expect(await us.getByTestId('hunt-import-merged').textContent()).toBe('1');
    expect(await us.getByTestId('hunt-import-refused').textContent()).toBe('3');
    expect(await us.getByTestId('hunt-import-refused-list').textContent()).toContain('row 4: hostname "bad host" holds spaces');
    await shoot(us, 'hunt-import-result');
    await us.keyboard.press('Escape');
    await expect.poll(() => ca.getByTestId('host-count').textContent(), { timeout: 10_000 }).toBe('5 shown of 5');
    await ca.getByTestId('host-row-fs02').click();
    await expect.poll(() => ca.getByTestId('host-detail').textContent()).toContain('Windows Server 2022');
    expect(await ca.getByTestId('host-detail').textContent()).toMatch(/file ·/);
    // printer7's row merged into the host known by 10.0.0.150, which takes the name it lacked.
    await ca.getByTestId('host-row-printer7').waitFor();

    for (const p of [us, ca]) {
      expect(pageErrors(p)).toEqual([]);
      expect(cspViolations(p)).toEqual([]);
    }
  }, 180_000);

  it('a plaso l2tcsv super-timeline onto the timeline, its host matched by name; a generic CSV through a mapping; the other team sees the events live', async () => {
    const alice = await socketOf('alice');
    const { network } = await command<{ network: { id: string } }>(alice, 'network:create', { name: 'Syslog lab' });
    await command(alice, 'host:create', { networkId: network.id, hostname: 'myhostname.myhost.com' });

    const us = await open('alice', '/timeline');
    const ca = await open('ben', '/timeline');
    // The demo workspace may hold events already: count from what CA sees before.
    const ben = await loginAs(suite.server.url, 'ben');
    const before = ((await ben.get(`/api/workspaces/${ws()}/timeline?limit=1`)).body as { total: number }).total;
    await expect.poll(() => ca.getByTestId('tl-count').textContent()).toBe(`${before.toLocaleString('en')} shown of ${before.toLocaleString('en')}`);
    const count = (shown: number, total: number) => `${shown.toLocaleString('en')} shown of ${total.toLocaleString('en')}`;
    await us.getByTestId('event-import').click();
    await us.getByTestId('timeline-import').waitFor();
    expect(await focusInside(us, 'timeline-import')).toBe(true);
    await us.keyboard.press('Escape');
    await expect.poll(() => us.getByTestId('timeline-import').count()).toBe(0);

    await us.getByTestId('event-import').click();
    await us.getByTestId('hunt-import-file').setInputFiles({ name: 'l2tcsv.csv', mimeType: 'text/csv', buffer: fixture('plaso/l2tcsv.csv') });
    await expect.poll(() => us.getByTestId('timeline-import-format').textContent()).toBe('Recognised: plaso l2tcsv');
    await expect.poll(() => us.getByTestId('timeline-import-summary').textContent()).toBe('19 events read · 0 rows refused');
    const row4 = await us.getByTestId('timeline-import-row-4').textContent();
    expect(row4).toContain('2012-01-22 07:53:01');
    expect(row4).toContain('Content Modification Time: Cron ran: touch /var/run/crond.somecheck');
    expect(row4).not.toContain('no such host');
    await shoot(us, 'hunt-import-timeline');
    await us.getByTestId('timeline-import-commit').click();
    await us.getByTestId('hunt-import-result').waitFor({ timeout: 30_000 });
    expect(await us.getByTestId('hunt-import-created').textContent()).toBe('19');
    expect(await us.getByTestId('hunt-import-refused').textContent()).toBe('0');
    await us.getByTestId('hunt-import-done').click();
    await expect.poll(() => ca.getByTestId('tl-count').textContent(), { timeout: 10_000 }).toBe(count(before + 19, before + 19));
    await ca.getByTestId('tl-view-list').click();
    await ca.getByTestId('tl-filter-host').waitFor();
    await ca.getByTestId('tl-search').fill('crond.somecheck for user: root pid: 31051');
    await expect.poll(() => ca.getByTestId('tl-count').textContent()).toBe(count(1, before + 19));
    expect(await ca.getByTestId('tl-list').textContent()).toContain('myhostname.myhost.com');

    // A spreadsheet of notes: times in Riga's zone, the description column chosen by hand; one bad time.
    const notes = ['When,Box,Note', '2026-03-01 10:00:00,myhostname.myhost.com,Analyst saw zebrafish beaconing', 'yesterday,myhostname.myhost.com,Bad time'].join('\n');
    await us.getByTestId('event-import').click();
    await us.getByTestId('hunt-import-text').fill(notes);
    await us.getByTestId('hunt-import-read').click();
    await expect.poll(() => us.getByTestId('timeline-import-format').textContent()).toMatch(/^Generic CSV/);
    await expect.poll(() => us.getByTestId('timeline-import-unreadable').textContent()).toBe('choose the column that holds the description');
    await us.getByTestId('timeline-import-col-1').selectOption('hostname');
    await us.getByTestId('timeline-import-col-2').selectOption('message');
    await us.getByTestId('timeline-import-zone').fill('Europe/Riga');
    await expect.poll(() => us.getByTestId('timeline-import-summary').textContent()).toBe('1 events read · 1 rows refused');
    expect(await us.getByTestId('timeline-import-row-2').textContent()).toContain('2026-03-01 08:00:00');
    await us.getByTestId('timeline-import-commit').click();
    await us.getByTestId('hunt-import-result').waitFor({ timeout: 30_000 });
    expect(await us.getByTestId('hunt-import-created').textContent()).toBe('1');
    expect(await us.getByTestId('hunt-import-refused-list').textContent()).toMatch(/^row 3: /);
    await us.getByTestId('hunt-import-done').click();
    await expect.poll(() => ca.getByTestId('tl-count').textContent(), { timeout: 10_000 }).toBe(count(1, before + 20));
    await ca.getByTestId('tl-search').fill('zebrafish');
    // The count read "1 shown" before the search too (one event in view): wait on the list itself.
    await expect.poll(() => ca.getByTestId('tl-list').textContent()).toContain('Analyst saw zebrafish beaconing');
    expect(await ca.getByTestId('tl-count').textContent()).toBe(count(1, before + 20));

    // A long import shows its bar: 5,000 Timesketch rows; every label the bar showed is recorded in the page.
    const rows = Array.from({ length: 5_000 }, (_, i) => `${new Date(Date.UTC(2026, 2, 2) + i * 1_000).toISOString()},bulk row ${i} okapi,Event Recorded,edr`);
    const big = ['datetime,message,timestamp_desc,data_type', ...rows].join('\n');
    await us.getByTestId('event-import').click();
    await us.getByTestId('hunt-import-file').setInputFiles({ name: 'okapi.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
    await expect.poll(() => us.getByTestId('timeline-import-format').textContent()).toBe('Recognised: Timesketch CSV');
    await us.evaluate(() => {
      const seen = new Set<string>();
      Object.assign(window, { progressSeen: seen });
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid=import-progress] .muted');
        if (bar?.textContent) seen.add(bar.textContent.replace(/ \d+%$|…$/, ''));
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await us.getByTestId('timeline-import-commit').click();
    await us.getByTestId('hunt-import-result').waitFor({ timeout: 120_000 });
    expect(await us.getByTestId('hunt-import-created').textContent()).toBe('5000');
    const labels = await us.evaluate(() => [...(window as unknown as { progressSeen: Set<string> }).progressSeen]);
    console.log(`timeline import of 5,000 rows: the bar showed ${labels.join(', ')}`);
    expect(labels).toContain('Sending the file');
    await us.getByTestId('hunt-import-done').click();
    await ca.getByTestId('tl-search').fill('okapi');
    await expect.poll(() => ca.getByTestId('tl-count').textContent(), { timeout: 30_000 }).toBe(count(5_000, before + 5_020));

    for (const p of [us, ca]) {
      expect(pageErrors(p)).toEqual([]);
      expect(cspViolations(p)).toEqual([]);
    }
  }, 180_000);
});
