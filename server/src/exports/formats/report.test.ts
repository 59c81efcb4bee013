import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { strFromU8, unzipSync } from 'fflate';
import { defangText } from '../defangText.js';
import { fragmentToHtml } from '../noteHtml.js';
import { renderHtml, renderMarkdown } from './report.js';
import { buildExport } from './index.js';
import type { HandoffData } from '../collect.js';

const el = (name: string, children: (Y.XmlElement | Y.XmlText)[], attrs: Record<string, string> = {}) => {
  const e = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.insert(0, children);
  return e;
};
const text = (s: string, attributes?: Record<string, unknown>) => {
  const t = new Y.XmlText();
  t.insert(0, s, attributes);
  return t;
};

describe('defangText', () => {
  it('defangs URLs, e-mail addresses, IPv4 addresses and domains in running text', () => {
    expect(defangText('Beacon to https://evil.example.com/gate.php, then 203.0.113.9 and update.evil-cdn.ru.')).toBe(
      'Beacon to hxxps://evil[.]example[.]com/gate.php, then 203[.]0[.]113[.]9 and update[.]evil-cdn[.]ru.',
    );
    expect(defangText('mail from ops@phish.co.uk')).toBe('mail from ops[@]phish[.]co[.]uk');
  });

  it('leaves file names, paths and already defanged values alone', () => {
    expect(defangText('C:\\Users\\Public\\svchost.exe ran report.pdf from /tmp/a.sh')).toBe('C:\\Users\\Public\\svchost.exe ran report.pdf from /tmp/a.sh');
    expect(defangText('hxxp://evil[.]com')).toBe('hxxp://evil[.]com');
  });
});

describe('note bodies in the HTML report', () => {
  it('renders the note as HTML, escaped, with its indicators defanged and no live links', () => {
    const doc = new Y.Doc();
    const frag = doc.getXmlFragment('default');
    frag.insert(0, [
      el('heading', [text('Findings')], { level: '2' }),
      el('paragraph', [text('C2 at '), text('http://bad.example.net/x', { bold: true }), text(' <script>alert(1)</script>')]),
      el('paragraph', [text('see here', { link: { href: 'https://evil.example.org/p' } })]),
      el('bulletList', [el('listItem', [el('paragraph', [text('DC01 talked to 198.51.100.7')])])]),
      el('codeBlock', [text('curl http://drop.example.io/a')]),
    ]);
    const html = fragmentToHtml(frag);
    expect(html).toContain('<h5>Findings</h5>');
    expect(html).toContain('<strong>hxxp://bad[.]example[.]net/x</strong>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<a\b|href=/);
    expect(html).toContain('hxxps://evil[.]example[.]org/p');
    expect(html).toContain('<ul><li><p>DC01 talked to 198[.]51[.]100[.]7</p></li></ul>');
    expect(html).toContain('<pre><code>curl hxxp://drop[.]example[.]io/a</code></pre>');
    for (const live of ['http://bad', 'https://evil', '198.51.100.7', 'drop.example.io']) expect(html).not.toContain(live);

    const model = { title: 'R', tlp: 'AMBER' as const, meta: [], sections: [{ title: 'Note: n', body: '## Findings', html }] };
    const page = renderHtml(model);
    expect(page).toContain(`<div class="note">${html}</div>`);
    expect(page).not.toContain('<pre class="note">');
  });
});

describe('TLP labels on every export', () => {
  const data = (): HandoffData =>
    ({
      workspace: { id: 'w1', name: 'Op', description: '' },
      recipient: { id: 't1', code: 'CA', name: 'Canada', color: '#f00' },
      teams: [],
      generatedAt: '2026-11-29T01:00:00.000Z',
      indicators: [],
      sightings: new Map(),
      comments: new Map(),
      notes: [
        {
          id: 'n1',
          title: 'N',
          marking: { tlp: 'AMBER', releasableTo: [] },
          ownerTeam: 'CA',
          updatedAt: '2026-11-29T00:00:00.000Z',
          markdown: 'see http://x.example.com',
          html: '<p>see</p>',
        },
      ],
      marks: [{ techniqueId: 'T1059', team: 'CA', status: 'observed' }],
      boardTlp: 'GREEN',
      techniqueNames: new Map(),
      hunt: { networks: [], hosts: [], findings: [], timeline: [] },
    }) as unknown as HandoffData;
  const layer = { domain: 'enterprise-attack' as const, attackVersion: '18.1', known: new Set(['T1059']) };

  it('marks the Markdown report at the top and the bottom, with note bodies defanged', () => {
    const md = String(buildExport('report.md', data(), layer).body);
    expect(md.startsWith('**TLP:AMBER**')).toBe(true);
    expect(md.trimEnd().endsWith('**TLP:AMBER**')).toBe(true);
    expect(md).toContain('see hxxp://x[.]example[.]com');
  });

  it('marks the HTML report on screen and on every printed page, in FIRST colours', () => {
    const html = String(buildExport('report.html', data(), layer).body);
    expect(html.match(/>TLP:AMBER</g)?.length).toBe(4);
    expect(html).toContain('color:#ffc000;background:#000000');
    expect(html).toMatch(/\.print-head\{top:0\}/);
    expect(renderMarkdown({ title: 't', tlp: 'CLEAR', meta: [], sections: [] })).toContain('**TLP:CLEAR**');
  });

  it("marks the ATT&CK layer with the board's TLP", () => {
    const json = JSON.parse(String(buildExport('layer', data(), layer).body)) as { name: string; description: string; metadata: { name: string; value: string }[] };
    expect(json.name).toMatch(/^\[TLP:GREEN\] /);
    expect(json.description).toMatch(/^TLP:GREEN\./);
    expect(json.metadata).toContainEqual({ name: 'TLP', value: 'TLP:GREEN' });
    // No board the recipient may see: an empty layer, still labelled.
    const { boardTlp: _hidden, ...noBoard } = data();
    const empty = JSON.parse(String(buildExport('layer', { ...noBoard, marks: [] }, layer).body)) as { name: string; techniques: unknown[] };
    expect(empty.name).toMatch(/^\[TLP:CLEAR\] /);
    expect(empty.techniques).toEqual([]);
  });

  it('puts a TLP notice naming the strictest marking at the top of the package', () => {
    const files = unzipSync(buildExport('package.zip', data(), layer).body as Uint8Array);
    const names = Object.keys(files);
    expect(names[0]).toBe('TLP-AMBER.txt');
    const notice = strFromU8(files['TLP-AMBER.txt']!);
    expect(notice.startsWith('TLP:AMBER\n')).toBe(true);
    expect(notice).toContain('need-to-know basis within their organization and its clients');
  });
});
