/**
 * Reports and packages as a recipient opens them (issue 19 item 5): the HTML report renders note
 * bodies as HTML (not Markdown in a monospace box) with the URLs, addresses and domains in them
 * defanged and nothing clickable; the TLP 2.0 label is printed at the top and bottom in FIRST's
 * colours; the Markdown report is labelled at both ends; the package starts with its TLP notice and
 * the ATT&CK layer carries the board's marking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { NOTE_FRAGMENT } from '@huntroom/shared';
import { launchBrowser } from '../helpers/browser.js';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, eventually, startCollabServer, synced } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

describe('report and package exports carry markings and defanged note bodies', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ws: string;
  let browser: Browser;

  const download = async (path: string) => {
    const res = await fetch(`${server.url}/api/workspaces/${ws}/${path}`, { headers: { cookie: alice.cookie! } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  beforeAll(async () => {
    server = await startCollabServer();
    alice = await loginAs(server.url, 'alice');
    ws = server.demo!.workspaceId;
    browser = await launchBrowser();
    const note = await alice.post(`/api/workspaces/${ws}/notes`, { title: 'Beacon analysis', marking: { tlp: 'AMBER', releasableTo: [] } });
    expect(note.status).toBe(201);
    const c = connect(server, note.body.id, alice);
    await synced(c);
    const el = (name: string, text: string, attrs: Record<string, string> = {}) => {
      const e = new Y.XmlElement(name);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      const t = new Y.XmlText();
      t.insert(0, text);
      e.insert(0, [t]);
      return e;
    };
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    item.insert(0, [el('paragraph', 'DC01 beaconed to 203.0.113.77 every 60 s')]);
    list.insert(0, [item]);
    c.doc
      .getXmlFragment(NOTE_FRAGMENT)
      .insert(0, [el('heading', 'Stage two', { level: '2' }), el('paragraph', 'Payload from https://evil.example.com/gate.php?id=7 via mail from ops@phish.example.org.'), list]);
    // Written when the server's own report holds it.
    await eventually(async () => expect((await download('export/report.md?recipient=US')).toString('utf8')).toContain('Stage two'), 15_000, 100);
    c.destroy();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders note bodies as HTML with their indicators defanged and no link', async () => {
    const html = (await download('export/report.html?recipient=US')).toString('utf8');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent(html);
    const note = page.locator('div.note').filter({ hasText: 'Stage two' });
    await expect.poll(() => note.count()).toBe(1);
    // Rendered structure, not a Markdown source box.
    expect(await note.locator('h5').textContent()).toBe('Stage two');
    expect(await note.locator('li').textContent()).toBe('DC01 beaconed to 203[.]0[.]113[.]77 every 60 s');
    expect(await page.locator('pre.note').count()).toBe(0);
    const text = (await note.textContent()) ?? '';
    expect(text).toContain('hxxps://evil[.]example[.]com/gate.php?id=7');
    expect(text).toContain('ops[@]phish[.]example[.]org');
    for (const live of ['https://evil', 'evil.example.com', '203.0.113.77', 'ops@phish']) expect(html).not.toContain(live);
    expect(await page.locator('a[href]').count()).toBe(0);
    // The TLP 2.0 label on screen at top and bottom, amber on black as FIRST defines it.
    const labels = page.locator('p.tlp:visible');
    expect(await labels.allTextContents()).toEqual(['TLP:AMBER', 'TLP:AMBER']);
    expect(await labels.first().evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor])).toEqual(['rgb(255, 192, 0)', 'rgb(0, 0, 0)']);
    // Printed: a label fixed at the top and the bottom of every page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('p.tlp.print-head').evaluate((e) => getComputedStyle(e).position)).toBe('fixed');
    expect(await page.locator('p.tlp.print-foot').isVisible()).toBe(true);
    await context.close();
  });

  it('labels the Markdown report at both ends and defangs its note bodies', async () => {
    const md = (await download('export/report.md?recipient=US')).toString('utf8');
    expect(md.startsWith('**TLP:AMBER**')).toBe(true);
    expect(md.trimEnd().endsWith('**TLP:AMBER**')).toBe(true);
    expect(md).toContain('hxxps://evil[.]example[.]com/gate.php?id=7');
    expect(md).not.toContain('https://evil.example.com');
  });

  it('opens the package with its TLP notice and marks the ATT&CK layers', async () => {
    const files = unzipSync(await download('export/package.zip?recipient=US'));
    const first = Object.keys(files)[0]!;
    expect(first).toMatch(/^TLP-(AMBER|AMBER-STRICT|RED)\.txt$/);
    expect(strFromU8(files[first]!)).toMatch(/^TLP:(AMBER|AMBER\+STRICT|RED)\n/);
    const layerFile = Object.keys(files).find((n) => n.endsWith('.layer.json'))!;
    const layer = JSON.parse(strFromU8(files[layerFile]!)) as { name: string; metadata?: { name: string; value: string }[] };
    expect(layer.name).toMatch(/^\[TLP:[A-Z+]+\] /);
    expect(layer.metadata?.[0]?.name).toBe('TLP');
    // The ATT&CK page's own layer download too.
    const own = JSON.parse((await download('attack/layer')).toString('utf8')) as { name: string; description: string };
    expect(own.name).toMatch(/^\[TLP:[A-Z+]+\] /);
    expect(own.description).toMatch(/^TLP:[A-Z+]+\. /);
  });
});
