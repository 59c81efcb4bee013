/** Identifiers with a fixed shape: CVE ids, hashes, ssdeep, Bitcoin addresses, AS numbers. */
import { HASH_LENGTHS } from '../types.js';
import { ALTCOIN_VERSIONS, base58CheckVersion, isBase58CheckBtc } from './base58check.js';
import type { Rule } from './rule.js';

const HASH_TYPE: Record<number, string> = Object.fromEntries(Object.entries(HASH_LENGTHS).map(([t, n]) => [n, t]));

export const cveRule: Rule = {
  name: 'cve',
  re: /\bCVE-\d{4}-\d{4,7}\b/gi,
  take: (m, at, e) => void e.add('cve', m, { at }),
  needs: (t) => /cve-/i.test(t),
};

export const ssdeepRule: Rule = {
  name: 'ssdeep',
  // Block size, then two base64 blocks (at most 64 and 128 characters by the format).
  re: /\b\d{1,8}:[A-Za-z0-9/+]{3,128}:[A-Za-z0-9/+]{3,128}(?![\w/+:])/g,
  take: (m, at, e) => void e.add('ssdeep', m, { at }),
  needs: (t) => t.includes(':'),
};

export const hashRule: Rule = {
  name: 'hash',
  // A whole hex run of exactly a hash's length: not a part of a longer run. A run starts a word (\b),
  // so a long run is tried once, and at most 128 characters are read.
  re: /\b[0-9a-f]{32,128}\b/gi,
  take: (m, at, e) => {
    const type = HASH_TYPE[m.length];
    if (!type) return false;
    e.add(type, m, { at });
  },
};

export const btcRule: Rule = {
  name: 'btc',
  // bech32 (bc1...), or base58 legacy (1...) and P2SH (3...) with a valid checksum, so a random word
  // of the same letters is not taken for an address.
  re: /\b(?:bc1[ac-hj-np-z02-9]{11,71}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b/g,
  take: (m, at, e) => {
    if (!m.startsWith('bc1') && !isBase58CheckBtc(m)) return false;
    e.add('btc', m, { at });
  },
};

export const asRule: Rule = {
  name: 'as',
  re: /\bAS\d{1,10}\b/g,
  take: (m, at, e) => void e.add('as', m, { at }),
  needs: (t) => t.includes('AS'),
};

export const walletRule: Rule = {
  name: 'wallet',
  // Other coins' addresses, typed "other" (Huntroom has no type for them): Ethereum (0x and 40 hex),
  // Monero (95 base58 characters from 4 or 8), and Litecoin, Dash and Dogecoin with a valid checksum.
  re: /\b(?:0x[0-9a-fA-F]{40}|[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}|[LMXD][a-km-zA-HJ-NP-Z1-9]{25,34})\b/g,
  take: (m, at, e) => {
    if (/^[LMXD]/.test(m)) {
      const v = base58CheckVersion(m);
      if (v === undefined || !ALTCOIN_VERSIONS.has(v)) return false;
    }
    e.add('other', m, { at });
  },
};
