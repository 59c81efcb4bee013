import { describe, expect, it } from 'vitest';
import { normalizeIndicator, indicatorKey } from './normalize.js';
import { canonicalIPv6 } from './ip.js';
import { defang, refang } from './refang.js';

const ok = (type: string, raw: string) => {
  const r = normalizeIndicator(type, raw);
  if (!r.ok) throw new Error(`${type} ${raw}: ${r.error}`);
  return r.value;
};
const err = (type: string, raw: string) => {
  const r = normalizeIndicator(type, raw);
  if (r.ok) throw new Error(`${type} ${raw} was accepted as ${r.value}`);
  return r.error;
};

describe('refang and defang', () => {
  it('undoes the defanged forms analysts paste', () => {
    expect(refang('hxxps://evil[.]example(.)com/x')).toBe('https://evil.example.com/x');
    expect(refang('hXXp[:]//a{.}b[dot]c')).toBe('http://a.b.c');
    expect(refang('user[@]mail[.]ru and admin[at]corp[.]lv')).toBe('user@mail.ru and admin@corp.lv');
    expect(refang('meows://x[.]y and fxp://files[.]z')).toBe('https://x.y and ftp://files.z');
    expect(refang('10\\.1\\.2\\.3')).toBe('10.1.2.3');
  });

  it('defangs for display: URL scheme and host, plain hosts and addresses', () => {
    expect(defang('https://evil.example.com/a.php?q=1')).toBe('hxxps://evil[.]example[.]com/a.php?q=1');
    expect(defang('198.51.100.7')).toBe('198[.]51[.]100[.]7');
    expect(defang('bad@evil.ru')).toBe('bad[@]evil[.]ru');
  });
});

describe('normalization per type', () => {
  it('IPv4 with and without port (the address is the value, the port apart); rejects leading zeros and out-of-range octets', () => {
    expect(ok('ip-dst', '198.51.100.7')).toBe('198.51.100.7');
    expect(normalizeIndicator('ip-dst', '198.51.100.7')).not.toHaveProperty('port');
    // One indicator with or without the port: the port is the caller's to keep (a port:<n> tag).
    expect(normalizeIndicator('ip-src', '198[.]51[.]100[.]7:8443')).toMatchObject({ ok: true, value: '198.51.100.7', port: 8443 });
    expect(indicatorKey('ip-src', ok('ip-src', '198.51.100.7:8443'))).toBe(indicatorKey('ip-src', ok('ip-src', '198.51.100.7')));
    expect(err('ip-dst', '010.1.1.1')).toMatch(/not an IPv4/);
    expect(err('ip-dst', '1.2.3.256')).toMatch(/not an IPv4/);
    expect(err('ip-dst', '1.2.3.4:70000')).toMatch(/port 70000/);
  });

  it('IPv6 in RFC 5952 form', () => {
    expect(canonicalIPv6('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIPv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIPv6('0:0:0:0:0:0:0:0')).toBe('::');
    expect(canonicalIPv6('::ffff:192.0.2.1')).toBe('::ffff:c000:201');
    expect(canonicalIPv6('fe80::1%eth0')).toBeUndefined();
    expect(canonicalIPv6('1::2::3')).toBeUndefined();
    expect(normalizeIndicator('ip-dst', '[2001:DB8::1]:443')).toMatchObject({ ok: true, value: '2001:db8::1', port: 443 });
    expect(err('ip-dst', '[2001:db8::1]:0')).toMatch(/port 0/);
  });

  it('domains: case, trailing dot, IDN to punycode, refang; bad names refused', () => {
    expect(ok('domain', 'Evil.Example.COM.')).toBe('evil.example.com');
    expect(ok('domain', 'bücher.de')).toBe('xn--bcher-kva.de');
    expect(ok('hostname', 'c2[.]bad[.]org')).toBe('c2.bad.org');
    expect(err('domain', 'not a domain')).toMatch(/not a valid domain/);
    expect(err('domain', 'localhost')).toMatch(/not a valid domain/);
  });

  it('URLs: scheme and host lower-cased, default port dropped, path and query kept', () => {
    expect(ok('url', 'HXXPS://Evil[.]Example.com:443/Path/A.php?Q=1#Frag')).toBe('https://evil.example.com/Path/A.php?Q=1#Frag');
    expect(ok('url', 'http://bücher.de:8080/x')).toBe('http://xn--bcher-kva.de:8080/x');
    expect(err('url', 'evil.example.com/x')).toMatch(/scheme/);
  });

  it('e-mail: only the domain is folded', () => {
    expect(ok('email', 'John.Doe[@]Mail.Example.ORG')).toBe('John.Doe@mail.example.org');
    expect(err('email', '@nobody.org')).toMatch(/local part/);
  });

  it('hashes by length, lower-cased', () => {
    expect(ok('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(err('sha1', 'abc')).toMatch(/40 hexadecimal/);
    expect(err('sha256', 'g'.repeat(64))).toMatch(/64 hexadecimal/);
  });

  it('CIDR with network check, CVE, AS, registry keys, JA3, BTC', () => {
    expect(ok('cidr', '10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(err('cidr', '10.0.0.1/8')).toMatch(/host bits are set: the network is 10.0.0.0\/8/);
    expect(err('cidr', '10.0.0.0/33')).toMatch(/0-32/);
    expect(ok('cidr', '2001:DB8::/32')).toBe('2001:db8::/32');
    expect(ok('cve', 'cve-2024-3400')).toBe('CVE-2024-3400');
    expect(ok('as', 'as64496')).toBe('AS64496');
    expect(ok('as', '64496')).toBe('AS64496');
    expect(ok('regkey', 'HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run')).toBe('HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run');
    expect(err('regkey', 'Software\\Run')).toMatch(/hive/);
    expect(ok('ja3', 'E7D705A3286E19EA42F587B344EE6865')).toBe('e7d705a3286e19ea42f587b344ee6865');
    expect(ok('btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toBe('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq');
    expect(err('btc', '0xdeadbeef')).toMatch(/Bitcoin/);
  });

  it('free-text types are kept as written; unknown types and empty values refused', () => {
    expect(ok('filename', '  invoice[.]pdf.exe ')).toBe('invoice[.]pdf.exe');
    expect(ok('user-agent', 'Mozilla/5.0 (Windows NT 10.0)')).toBe('Mozilla/5.0 (Windows NT 10.0)');
    expect(err('ipv4', '1.2.3.4')).toMatch(/unknown indicator type "ipv4"/);
    expect(err('domain', '   ')).toMatch(/empty/);
  });

  it('keys uniqueness on type and normalized value', () => {
    expect(indicatorKey('domain', ok('domain', 'EVIL.com.'))).toBe(indicatorKey('domain', ok('domain', 'evil[.]com')));
    expect(indicatorKey('domain', 'a.com')).not.toBe(indicatorKey('hostname', 'a.com'));
  });
});
