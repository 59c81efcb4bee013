import { describe, expect, it } from 'vitest';
import { parsePattern } from './pattern.js';
import { patternValues } from './patternValues.js';

const values = (p: string) => patternValues(p).values.map((v) => `${v.type}|${v.value}`);

describe('STIX patterns', () => {
  it('reads comparisons joined by AND and OR, in nested brackets and parentheses, with qualifiers', () => {
    const obs = parsePattern(
      "([ipv4-addr:value = '198.51.100.1' OR (domain-name:value = 'a.example' AND file:size > 10)] AND [url:value = 'http://b.example/']) FOLLOWEDBY [mutex:name = 'm'] WITHIN 60 SECONDS REPEATS 2 TIMES START t'2024-01-01T00:00:00Z' STOP t'2024-02-01T00:00:00Z'",
    );
    expect(obs.map((o) => o.comparisons.map((c) => `${c.path} ${c.op}`))).toEqual([['ipv4-addr:value =', 'domain-name:value =', 'file:size >'], ['url:value ='], ['mutex:name =']]);
    expect(obs.map((o) => o.allAnd)).toEqual([false, true, true]);
  });

  it('undoes quoted escapes and reads IN lists', () => {
    expect(values("[file:name = 'it\\'s here.exe']")).toEqual(["filename|it's here.exe"]);
    expect(values("[mutex:name = 'Global\\\\it\\'s']")).toEqual(["mutex|Global\\it's"]);
    expect(values("[domain-name:value IN ('a.example', 'b.example')]")).toEqual(['domain|a.example', 'domain|b.example']);
  });

  it('reads a long pattern in linear time (a feed pattern of 20,000 IN values)', () => {
    const list = Array.from({ length: 20_000 }, (_, i) => `'198.51.${Math.floor(i / 256) % 256}.${i % 256}'`).join(', ');
    const started = performance.now();
    expect(patternValues(`[ipv4-addr:value IN (${list})]`).values).toHaveLength(20_000);
    // Quadratic tokenizing took seconds here; linear takes tens of milliseconds. Generous for a busy machine.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses a pattern that does not parse, with where', () => {
    expect(() => parsePattern("[ipv4-addr:value = '1.2.3.4'")).toThrow(/expected "]" at the end/);
    expect(() => parsePattern("[ipv4-addr:value '1.2.3.4']")).toThrow(/operator after ipv4-addr:value/);
    expect(() => patternValues('[x')).toThrow(/does not parse/);
  });

  it('skips LIKE, MATCHES, != and NOT with a reason, never as a value', () => {
    const r = patternValues(
      "[domain-name:value LIKE '%.example' OR url:value MATCHES '^http' OR ipv4-addr:value != '10.0.0.1' OR ipv4-addr:value NOT = '10.0.0.2' OR ipv4-addr:value = '198.51.100.7']",
    );
    expect(r.values.map((v) => v.value)).toEqual(['198.51.100.7']);
    expect(r.skipped.map((s) => s.reason)).toEqual([
      expect.stringContaining('LIKE matches many values'),
      expect.stringContaining('MATCHES matches many values'),
      expect.stringContaining('negated'),
      expect.stringContaining('negated'),
    ]);
    expect(r.skipped[0]!.text).toBe("domain-name:value LIKE '%.example'");
  });

  it('maps CIDR values to cidr, hashes however STIX producers spell them, and custom objects', () => {
    expect(values("[ipv4-addr:value = '223.166.0.0/15'] OR [ipv6-addr:value = '2001:db8::/32']")).toEqual(['cidr|223.166.0.0/15', 'cidr|2001:db8::/32']);
    const h = 'a'.repeat(64);
    expect(
      values(
        `[file:hashes.'SHA-256' = '${h}' OR file:hashes.SHA256 = '${h}' OR file:hashes.'sha-1' = '${'b'.repeat(40)}' OR file:hashes.MD5 = '${'c'.repeat(32)}' OR file:hashes.'SHA-512' = 'd' OR file:hashes.SSDEEP = '3:a:b']`,
      ),
    ).toEqual([`sha256|${h}`, `sha256|${h}`, `sha1|${'b'.repeat(40)}`, `md5|${'c'.repeat(32)}`, 'sha512|d', 'ssdeep|3:a:b']);
    expect(values("[x-huntroom-ja3:value = 'e7d705a3286e19ea42f587b344ee6865'] OR [cryptocurrency-wallet:value = 'bc1q'] OR [user-agent:value = 'Mozilla/4.0']")).toEqual([
      'ja3|e7d705a3286e19ea42f587b344ee6865',
      'btc|bc1q',
      'user-agent|Mozilla/4.0',
    ]);
  });

  it('reads connections with ports, user agents, registry keys, AS numbers, senders, and file paths', () => {
    expect(values("[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.9' AND network-traffic:dst_port = 8443]")).toEqual([
      'ip-dst|203.0.113.9:8443',
    ]);
    expect(values("[network-traffic:src_ref.value = '2001:db8::1' AND network-traffic:src_port = 53]")).toEqual(['ip-src|[2001:db8::1]:53']);
    // With OR the port may belong to another connection: the address alone.
    expect(values("[network-traffic:dst_ref.value = '203.0.113.9' OR network-traffic:dst_port = 8443]")).toEqual(['ip-dst|203.0.113.9']);
    expect(values("[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'c2.example']")).toEqual(['domain|c2.example']);
    expect(values("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Evil/1.0']")).toEqual(['user-agent|Evil/1.0']);
    expect(values("[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\Run'] AND [autonomous-system:number = 64500]")).toEqual([
      'regkey|HKEY_LOCAL_MACHINE\\Software\\Run',
      'as|64500',
    ]);
    expect(values("[email-message:from_ref.value = 'a@evil.example' AND email-message:to_refs[0].value = 'victim@corp.example']")).toEqual(['email|a@evil.example']);
    expect(patternValues("[email-message:to_refs[*].value = 'victim@corp.example']").skipped[0]!.reason).toMatch(/recipient/);
    expect(values("[file:name = 'evil.exe' AND file:parent_directory_ref.path = 'C:\\\\Temp']")).toEqual(['filepath|C:\\Temp\\evil.exe']);
    expect(values("[file:name = '/tmp/x.sh'] OR [directory:path = '/var/tmp']")).toEqual(['filepath|/tmp/x.sh', 'filepath|/var/tmp']);
    expect(values("[x509-certificate:hashes.'SHA-1' = '" + 'e'.repeat(40) + "']")).toEqual(['sha1|' + 'e'.repeat(40)]);
    expect(patternValues("[x509-certificate:hashes.'SHA-1' = '" + 'e'.repeat(40) + "']").values[0]!.tag).toBe('x509-certificate');
  });

  it('passes quietly over paths that qualify values (a size, a protocol) and software is skipped', () => {
    expect(patternValues("[file:size = 100 AND network-traffic:protocols[*] = 'tcp']")).toEqual({ values: [], skipped: [] });
    expect(patternValues("[software:name = 'Word']").skipped[0]!.reason).toMatch(/product/);
  });
});
