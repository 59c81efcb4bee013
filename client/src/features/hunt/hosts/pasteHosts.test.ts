import { describe, expect, it } from 'vitest';
import { parsePastedHosts } from './pasteHosts.js';

describe('parsePastedHosts', () => {
  it('reads a name, addresses, or both per line in any order, in canonical form', () => {
    const r = parsePastedHosts('dc01 10.0.0.5\n10.0.0.7\n\n  mail.partner.example, 10.0.1.2; FE80:0:0::1  \n00-1A-2B-3C-4D-5E ws-17 # lab\n');
    expect(r.refused).toEqual([]);
    expect(r.hosts).toEqual([
      { line: 1, hostname: 'dc01', addresses: ['10.0.0.5'] },
      { line: 2, addresses: ['10.0.0.7'] },
      { line: 4, hostname: 'mail.partner.example', addresses: ['10.0.1.2', 'fe80::1'] },
      { line: 5, hostname: 'ws-17', addresses: ['00:1a:2b:3c:4d:5e'] },
    ]);
  });

  it('refuses a line with two names or a token that is no name, with the line and the reason', () => {
    const r = parsePastedHosts('dc01 dc02\nweb<script> 10.0.0.9\nok-host');
    expect(r.hosts).toEqual([{ line: 3, hostname: 'ok-host', addresses: [] }]);
    expect(r.refused.map((x) => [x.line, x.reason])).toEqual([
      [1, 'two names (dc01, dc02): one host per line'],
      [2, '"web<script>" is neither a host name nor an address'],
    ]);
  });
});
