import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { csvCell } from './csv.js';
import { stixPattern } from './stix.js';
import { yaraRuleName } from './stixPattern.js';
import { stableUuid } from './ids.js';
import { fragmentToMarkdown } from '../noteText.js';
import { renderHtml, renderMarkdown } from './report.js';

describe('export formats', () => {
  it('writes STIX patterns per type, escaping quotes and backslashes', () => {
    expect(stixPattern('ip-dst', '203.0.113.9:8443').pattern).toBe(
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.9' AND network-traffic:dst_port = 8443]",
    );
    expect(stixPattern('ip-src', '[2001:db8::1]:53').pattern).toBe(
      "[network-traffic:src_ref.type = 'ipv6-addr' AND network-traffic:src_ref.value = '2001:db8::1' AND network-traffic:src_port = 53]",
    );
    // The address alone with the ports it was seen with (its port:<n> tags): one observation per port.
    expect(stixPattern('ip-dst', '203.0.113.9', [8443, 443]).pattern).toBe(
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.9' AND network-traffic:dst_port = 443] OR [network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.9' AND network-traffic:dst_port = 8443]",
    );
    expect(stixPattern('cidr', '223.166.0.0/15').pattern).toBe("[ipv4-addr:value = '223.166.0.0/15']");
    expect(stixPattern('filepath', 'C:\\Temp\\evil.exe').pattern).toBe("[file:name = 'evil.exe' AND file:parent_directory_ref.path = 'C:\\\\Temp']");
    expect(stixPattern('filepath', 'C:\\evil.exe').pattern).toBe("[file:name = 'evil.exe' AND file:parent_directory_ref.path = 'C:\\\\']");
    expect(stixPattern('filepath', 'C:/mixed\\x.exe').pattern).toBe("[file:name = 'C:/mixed\\\\x.exe']");
    expect(stixPattern('ip-dst', '2001:db8::1').pattern).toBe("[ipv6-addr:value = '2001:db8::1']");
    expect(stixPattern('sha256', 'ab'.repeat(32)).pattern).toBe(`[file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`);
    expect(stixPattern('regkey', "HKLM\\Software\\it's").pattern).toBe("[windows-registry-key:key = 'HKLM\\\\Software\\\\it\\'s']");
    expect(stixPattern('as', 'AS64500').pattern).toBe('[autonomous-system:number = 64500]');
    expect(stixPattern('yara', 'rule x { condition: true }')).toEqual({ pattern: 'rule x { condition: true }', pattern_type: 'yara' });
    expect(yaraRuleName('import "pe"\nprivate rule Dropper_v2 : loader { condition: true }')).toBe('Dropper_v2');
    expect(stixPattern('btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT').pattern).toBe("[cryptocurrency-wallet:value = '1BoatSLRHtKNngkdXEeobR76b53LETtpyT']");
    expect(stixPattern('ja3', 'e7d705a3286e19ea42f587b344ee6865').pattern).toBe("[x-huntroom-ja3:value = 'e7d705a3286e19ea42f587b344ee6865']");
  });

  it('keeps spreadsheet formulas from running and quotes CSV cells', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(42)).toBe('42');
  });

  it('makes stable UUIDs', () => {
    expect(stableUuid('a')).toBe(stableUuid('a'));
    expect(stableUuid('a')).not.toBe(stableUuid('b'));
    expect(stableUuid('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('turns a note fragment into Markdown', () => {
    const doc = new Y.Doc();
    const frag = doc.getXmlFragment('default');
    const el = (name: string, children: (Y.XmlElement | Y.XmlText)[], attrs: Record<string, string> = {}) => {
      const e = new Y.XmlElement(name);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      e.insert(0, children);
      return e;
    };
    const text = (s: string) => {
      const t = new Y.XmlText();
      t.insert(0, s);
      return t;
    };
    frag.insert(0, [
      el('heading', [text('Findings')], { level: '2' }),
      el('paragraph', [text('Beacon seen.')]),
      el('bulletList', [el('listItem', [el('paragraph', [text('DC01')])]), el('listItem', [el('paragraph', [text('FS02')])])]),
      el('codeBlock', [text('whoami /all')]),
    ]);
    expect(fragmentToMarkdown(frag)).toBe('## Findings\n\nBeacon seen.\n\n- DC01\n- FS02\n\n```\nwhoami /all\n```');
  });

  it('escapes everything in the HTML report', () => {
    const model = {
      title: '<script>x</script>',
      tlp: 'AMBER' as const,
      meta: ['a & b'],
      sections: [
        { title: 'T', table: { head: ['v'], rows: [['<img src=x onerror=alert(1)>']] } },
        { title: 'N', body: '</pre><script>' },
      ],
    };
    const html = renderHtml(model);
    expect(html).not.toContain('<script>x');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;');
    expect(renderMarkdown(model)).toContain('**TLP:AMBER**');
  });
});
