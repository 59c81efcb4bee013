import { describe, expect, it } from 'vitest';
import { canonicalAddress, hostnameKey, sameHost } from './identity.js';

describe('host identity', () => {
  it('compares hostnames without case or a trailing dot', () => {
    expect(hostnameKey(' DC01.Corp.Example. ')).toBe('dc01.corp.example');
  });
  it('writes addresses in one canonical form and refuses what is not an address', () => {
    expect(canonicalAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalAddress('[2001:db8::1]')).toBe('2001:db8::1');
    expect(canonicalAddress('10.0.0.5')).toBe('10.0.0.5');
    expect(canonicalAddress('AA-BB-CC-DD-EE-FF')).toBe('aa:bb:cc:dd:ee:ff');
    expect(canonicalAddress('dc01')).toBeNull();
    expect(canonicalAddress('10.0.0.256')).toBeNull();
  });
  it('matches by name or by any shared address, not by an empty name', () => {
    expect(sameHost({ hostname: 'a', addresses: [] }, { hostname: 'a', addresses: ['10.0.0.1'] })).toBe(true);
    expect(sameHost({ hostname: '', addresses: ['10.0.0.1', '10.0.0.2'] }, { hostname: 'b', addresses: ['10.0.0.2'] })).toBe(true);
    expect(sameHost({ hostname: '', addresses: ['10.0.0.1'] }, { hostname: '', addresses: ['10.0.0.3'] })).toBe(false);
  });
});
