/** nmap XML import over nmap's own test scans (test/fixtures/hunt/README.md says where each comes from). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNmapXml } from './nmap.js';

const fixture = (name: string) => readFileSync(new URL(`../../../../test/fixtures/hunt/nmap/${name}`, import.meta.url), 'utf8');

describe('nmap XML into hosts', () => {
  it('reads a version scan: name, address, OS match, open ports with versions (closed ones left out)', () => {
    const r = readNmapXml(fixture('complex.xml'));
    expect(r.problems).toEqual([]);
    expect(r.hosts).toEqual([
      {
        hostname: 'scanme.nmap.org',
        addresses: ['64.13.134.52'],
        os: 'Linux 2.6.9 - 2.6.24',
        notes: 'Open ports: 22/tcp ssh (OpenSSH 4.3 protocol 2.0), 53/tcp domain (ISC BIND 9.3.4), 80/tcp http (Apache httpd 2.2.2 (Fedora)), 53/udp domain (ISC BIND 9.3.4)',
      },
    ]);
    // `start` is seconds since 1970 (UTC); nmap's startstr is the scanner's local time (UTC-6 here).
    expect(r.scan.startedAt).toBe('2009-07-10T23:47:13.000Z');
  });

  it('keeps MAC addresses in canonical form, and a host without a name by its address', () => {
    const r = readNmapXml(fixture('xml_test11.xml'));
    expect(r.hosts.map((h) => [h.hostname, h.addresses])).toEqual([
      ['canopo', ['10.0.0.100', '00:e0:7d:f5:00:7d']],
      ['SpeedTouch.canopo', ['10.0.0.138', '00:90:d0:1c:85:ad']],
      ['servidor.canopo', ['10.0.0.140', '00:e0:7d:f5:00:7d']],
      [undefined, ['10.0.0.150']],
    ]);
    expect(r.hosts[1]!.os).toBe('Alcatel Speed Touch *DSL modem/router');
    expect(r.hosts[1]!.notes).toBe('Open ports: 80/tcp http');
  });

  it('reads a scan of many hosts: every one with its address, names and OS matches where nmap had them', () => {
    const r = readNmapXml(fixture('random-1.xml'));
    expect(r.hosts.length).toBe(55);
    expect(r.problems).toEqual([]);
    expect(r.hosts.every((h) => h.addresses.length === 1)).toBe(true);
    expect(r.hosts.filter((h) => h.hostname).length).toBe(36);
    expect(r.hosts.filter((h) => h.os).length).toBe(36);
    expect(r.hosts.filter((h) => h.notes?.startsWith('Open ports: ')).length).toBe(29);
    expect(r.hosts[0]).toMatchObject({ hostname: 'humrpocy-19.example.com', addresses: ['10.119.131.50'], os: 'HP 4000M ProCurve switch (J4121A)' });
  });

  it('a scan where every host was down gives no host', () => {
    expect(readNmapXml(fixture('down.xml')).hosts).toEqual([]);
  });

  it('judges each host on its own: a down host and a host without a valid address are reported, the rest kept', () => {
    const xml = `<?xml version="1.0"?><nmaprun scanner="nmap" start="1700000000">
      <host><status state="down"/><address addr="192.0.2.9" addrtype="ipv4"/></host>
      <host><status state="up"/><address addr="999.1.1.1" addrtype="ipv4"/></host>
      <host><status state="up"/><address addr="2001:DB8::0:1" addrtype="ipv6"/><hostnames><hostname name="ptr.example" type="PTR"/><hostname name="web&amp;co" type="user"/></hostnames></host>
    </nmaprun>`;
    const r = readNmapXml(xml);
    expect(r.problems).toEqual([
      { row: 1, reason: '192.0.2.9: host was down during the scan' },
      { row: 2, reason: '999.1.1.1: no valid IPv4, IPv6 or MAC address' },
    ]);
    // The user-given name wins over the PTR name; entities are decoded; IPv6 is compressed.
    expect(r.hosts).toEqual([{ hostname: 'web&co', addresses: ['2001:db8::1'], notes: 'Also named: ptr.example' }]);
  });

  it('refuses a file that declares entities (no expansion attack reaches the parser), broken XML, and XML that is not a scan', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><nmaprun><host><address addr="&b;"/></host></nmaprun>';
    expect(() => readNmapXml(bomb)).toThrow(/declares XML entities/);
    expect(() => readNmapXml('<nmaprun><host></nmaprun>')).toThrow(/not well-formed XML \(line 1/);
    expect(() => readNmapXml('<?xml version="1.0"?><html><body/></html>')).toThrow(/no <nmaprun> element/);
  });

  it('reports progress per host', () => {
    const seen: [number, number][] = [];
    readNmapXml(fixture('random-1.xml'), (done, total) => seen.push([done, total]));
    expect(seen.at(-1)).toEqual([55, 55]);
  });
});
