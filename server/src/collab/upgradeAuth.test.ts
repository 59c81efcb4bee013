import { describe, expect, it } from 'vitest';
import { ticketParam } from './upgradeAuth.js';

describe('ticketParam', () => {
  it('reads the ticket as URLSearchParams does, for the queries a client or an attacker may send', () => {
    const urls = [
      '/yjs/doc',
      '/yjs/doc?',
      '/yjs/doc?ticket=',
      '/yjs/doc?ticket',
      '/yjs/doc?ticket=a.1.n.sig',
      '/yjs/doc?x=1&ticket=a%2Eb.1.n.s%3D&ticket=second',
      '/yjs/doc?ticketx=1&xticket=2',
      '/yjs/doc?ticket=a+b',
      '/yjs/doc?a=1&&ticket=%41%42',
      '/yjs/doc?room=x&ticket=acct.1700000000000.bm9uY2U.c2ln',
    ];
    for (const url of urls) expect(ticketParam(url), url).toBe(new URL(url, 'http://x').searchParams.get('ticket'));
  });

  it('keeps a value that does not decode as it is, so it fails the signature check instead of being dropped', () => {
    expect(ticketParam('/yjs/doc?ticket=%E0%A4%A')).toBe('%E0%A4%A');
    expect(ticketParam(undefined)).toBeNull();
  });
});
