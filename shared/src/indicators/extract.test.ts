import { describe, expect, it } from 'vitest';
import { extractIndicators } from './extract.js';

const SAMPLE = `
From: SOC <soc@cert.example.lv>
Subject: beacon seen

Beacon from host FS02 (10.20.30.40) to hxxps://cdn-update[.]badcdn[.]top/gate.php?id=7 every 60 s.
C2 also at 185.220.101[.]45:8443 and [2001:db8::dead]:443, DNS for update.badcdn.top.
Dropped C:\\Users\\Public\\svc.exe (MD5 5F4DCC3B5AA765D61D8327DEB882CF99), SHA256
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 is the empty file.
Persistence: HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\svc
Exploit: CVE-2024-3400. Payload written to config.json and run.sh; version 1.2.3.4.5 of the tool.
Operator mail: op[@]protonmail[.]com. Hosting AS9009. Contact bücher.de.
Again: 185.220.101.45:8443 and https://cdn-update.badcdn.top/gate.php?id=7.
`;

describe('extraction from free text', () => {
  const { candidates, found } = extractIndicators(SAMPLE);
  const by = (type: string) =>
    candidates
      .filter((c) => c.type === type)
      .map((c) => c.value)
      .sort();

  it('finds, types, refangs and normalizes every indicator', () => {
    expect(by('url')).toEqual(['https://cdn-update.badcdn.top/gate.php?id=7']);
    // The port is context, not part of the value: the address seen with and without it is one indicator.
    expect(by('ip-dst')).toEqual(['10.20.30.40', '185.220.101.45', '2001:db8::dead']);
    expect(by('hostname')).toEqual(['update.badcdn.top']);
    expect(by('domain')).toEqual(['xn--bcher-kva.de']);
    expect(by('email')).toEqual(['op@protonmail.com', 'soc@cert.example.lv']);
    expect(by('md5')).toEqual(['5f4dcc3b5aa765d61d8327deb882cf99']);
    expect(by('sha256')).toEqual(['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']);
    expect(by('filepath')).toEqual(['C:\\Users\\Public\\svc.exe']);
    expect(by('regkey')).toEqual(['HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\svc']);
    expect(by('cve')).toEqual(['CVE-2024-3400']);
    expect(by('as')).toEqual(['AS9009']);
    expect(by('filename')).toEqual(['run.sh']);
  });

  it('does not take file names, versions or the e-mail/URL parts for domains or addresses', () => {
    const values = candidates.map((c) => c.value);
    expect(values).not.toContain('config.json');
    expect(values).not.toContain('1.2.3.4');
    expect(values).not.toContain('2.3.4.5');
    expect(values).not.toContain('protonmail.com');
    expect(values).not.toContain('cdn-update.badcdn.top');
  });

  it('de-duplicates with counts, and flags known-benign values', () => {
    const url = candidates.find((c) => c.type === 'url')!;
    expect(url.count).toBe(2);
    expect(candidates.find((c) => c.value === '185.220.101.45')).toMatchObject({ count: 2, port: 8443 });
    expect(candidates.find((c) => c.value === '2001:db8::dead')).toMatchObject({ count: 1, port: 443, tags: ['port:443'] });
    // Seen with a port and without it: one indicator that keeps the port as its tag for the commit.
    expect(candidates.find((c) => c.value === '185.220.101.45')!.tags).toEqual(['port:8443']);
    expect(found).toBeGreaterThan(candidates.length);
    expect(candidates.find((c) => c.value === '10.20.30.40')!.benign).toMatch(/private/);
    expect(candidates.find((c) => c.value === '2001:db8::dead')!.benign).toMatch(/documentation/);
    expect(candidates.find((c) => c.type === 'sha256')!.benign).toMatch(/empty file/);
    expect(candidates.find((c) => c.value === '185.220.101.45')!.benign).toBeUndefined();
  });

  it('finds the few indicators hidden in 1 MB of noise, and takes no hash out of a longer hex run', () => {
    const noise = Array.from({ length: 14_000 }, (_, i) => `line ${i} status=OK bytes=${i * 37} token=${(i * 2654435761).toString(16)} path=/var/log/app-${i % 50}.log`).join('\n');
    const longHex = 'ab'.repeat(40); // 80 hex digits: not an MD5, SHA-1, SHA-256 or SHA-512
    const text = `${noise.slice(0, 400_000)}\nC2 at 203.0.113.77 ok\n${noise.slice(400_000)}\nblob=${longHex} and md5 ${'c'.repeat(32)}\nhxxp://late[.]example-c2[.]net/x\n`;
    expect(text.length).toBeGreaterThan(1_000_000);
    const { candidates } = extractIndicators(text);
    const interesting = candidates.filter((c) => ['ip-dst', 'md5', 'sha1', 'sha256', 'sha512', 'url', 'domain', 'hostname'].includes(c.type));
    expect(interesting.map((c) => `${c.type}:${c.value}`).sort()).toEqual(['ip-dst:203.0.113.77', `md5:${'c'.repeat(32)}`, 'url:http://late.example-c2.net/x']);
  });

  it('reads CRLF, tabs, quotes and non-ASCII text around indicators', () => {
    const text = 'Zeile 1:\tVerbindung zu „evil-ü.example.com“\r\nIP：\t198.51.100.23\r\n"https://x.example.org/ä?q=ü"\r\n';
    const values = extractIndicators(text).candidates.map((c) => c.value);
    expect(values).toContain('xn--evil--ova.example.com');
    expect(values).toContain('198.51.100.23');
    expect(values).toContain('https://x.example.org/%C3%A4?q=%C3%BC');
  });

  it('handles 100,000 indicators in about 10 MB, with progress, and counts them exactly', () => {
    const lines: string[] = [];
    for (let i = 0; i < 25_000; i++) {
      const a = i >> 8;
      const b = i & 255;
      lines.push(
        `2026-11-24T10:00:00Z conn src=45.${a}.${b}.9 dst=hxxp://host${i}[.]evil-${i % 97}[.]com/p/${i}.bin ` +
          `sha256=${(i.toString(16).padStart(8, '0') + 'ab').repeat(7).slice(0, 64)} user=u${i}@mail${i % 13}.ru ${'#'.repeat(200)} ok`,
      );
    }
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(9_000_000);
    const progress: number[] = [];
    const res = extractIndicators(text, { onProgress: (done) => progress.push(done) });
    const count = (t: string) => res.candidates.filter((c) => c.type === t).length;
    expect(count('ip-dst')).toBe(25_000);
    expect(count('url')).toBe(25_000);
    expect(count('sha256')).toBe(25_000);
    expect(count('email')).toBe(25_000);
    expect(res.candidates.length).toBe(100_000);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toBe(text.length);
  });
});
