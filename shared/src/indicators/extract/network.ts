/** URLs, e-mail addresses, IPv4 and IPv6 addresses and networks. */
import { canonicalIPv6 } from '../ip.js';
import { trimTrailing } from './emit.js';
import type { Rule } from './rule.js';

/** Words after which a dotted number is a version, not an address ("version 4.1.0.2", "build 10.0.19041.1"). */
const VERSION_WORD = /(?:^|[^\p{L}])(?:version|versions|ver|v|build|release|rev|revision|firmware|update|patch|versión|versão|Version)[\s:=]{0,3}$/iu;

// A product token's version in a User-Agent or a banner: "Chrome/124.0.0.0", "OpenSSH_7.4".
const PRODUCT_VERSION = /[A-Za-z][\w-]{0,30}[/_]$/;

const isVersion = (text: string, at: number): boolean => {
  const before = text.slice(Math.max(0, at - 32), at);
  return VERSION_WORD.test(before) || PRODUCT_VERSION.test(before);
};

/** A path after an address or host: it starts with "/" and is not a CIDR prefix. */
const PATH = String.raw`(?:/[^\s<>"'\x60|]*)?`;

export const urlRule: Rule = {
  name: 'url',
  // Starts at a word boundary with a scheme; the body is one greedy run: no backtracking.
  re: /\b(?:https?|ftps?|wss?):\/\/[^\s<>"'`|\\^{}]+/gi,
  take: (m, at, e) => {
    const value = trimTrailing(m);
    // "http://" alone or "http://." is not a URL.
    if (!/^[a-z]+:\/\/[\p{L}\p{N}[]/iu.test(value)) return false;
    e.add('url', value, { at });
  },
  needs: (t) => t.includes('://'),
};

// The domain after "@": at most 10 labels of at most 63 characters, then a TLD. Sticky: read from "@".
const EMAIL_DOMAIN = /(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,10}[a-z][a-z0-9-]{1,62}(?![\w-])/iy;
const isLocalChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 37 || c === 43 || c === 45;

/**
 * E-mail addresses, found from each "@" (a scan is far cheaper than a regex that may start at every
 * word character): the local part is read back at most 64 characters (RFC 5321) and must start where
 * a run of its characters starts; the domain is read forward with a bounded sticky regex. Each "@"
 * costs at most 64 + 640 characters: linear on "a.a.a.a...", "@@@@" and "a@a@a@".
 */
function* findEmails(text: string): Generator<[number, number]> {
  let from = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', Math.max(at + 1, from))) {
    let start = at;
    while (start > 0 && at - start < 64 && isLocalChar(text.charCodeAt(start - 1))) start--;
    if (start === at || (start > 0 && isLocalChar(text.charCodeAt(start - 1)))) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const domain = EMAIL_DOMAIN.exec(text);
    if (!domain) continue;
    from = at + 1 + domain[0].length;
    yield [start, from];
  }
}

export const emailRule: Rule = {
  name: 'email',
  find: findEmails,
  take: (m, at, e) => {
    if (m.startsWith('.') || m.includes('.@')) return false;
    e.add('email', m, { at });
  },
  needs: (t) => t.includes('@'),
};

export const cidrV4Rule: Rule = {
  name: 'cidr',
  // Not inside a longer dotted number (versions, OIDs): no digit or "." right before, none after.
  re: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}(?!\.?\d)/g,
  take: (m, at, e) => void e.add('cidr', m, { at }),
  needs: (t) => t.includes('/'),
};

export const ipv4Rule: Rule = {
  name: 'ipv4',
  // An address, then an optional port and an optional path (a scheme-less URL: 1.2.3.4:8080/gate.php).
  re: new RegExp(String.raw`(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5}(?![\d:]))?(?!\.?\d)` + PATH, 'g'),
  take: (m, at, e) => {
    if (isVersion(e.text, at)) return;
    const slash = m.indexOf('/');
    const hostPort = slash === -1 ? m : m.slice(0, slash);
    const path = slash === -1 ? '' : trimTrailing(m.slice(slash));
    const colon = hostPort.indexOf(':');
    const ip = colon === -1 ? trimTrailing(hostPort) : hostPort.slice(0, colon);
    const port = colon === -1 ? undefined : Number(hostPort.slice(colon + 1));
    // A path makes it a URL, as if the scheme had been written (1.2.3.4:8080/gate.php); else the
    // address is the value and the port its context, so it is one indicator with or without the port.
    if (path.length > 1) e.add('url', `http://${hostPort}${path}`, { at, path });
    else e.add('ip-dst', ip, { at, ...(port ? { port } : {}) });
  },
};

/**
 * Cheap pre-check for the IPv6 rule: "::", or a colon with two more within the next ten characters
 * (a log's "10:00:00" has them too, but a text with no such run cannot hold an address). A scan from
 * colon to colon, far cheaper than a regex that may start at every hex digit.
 */
function mayHoldIpv6(t: string): boolean {
  if (t.includes('::')) return true;
  for (let i = t.indexOf(':'); i !== -1; i = t.indexOf(':', i + 1)) {
    const j = t.indexOf(':', i + 1);
    if (j === -1) return false;
    if (j - i > 5) continue;
    const k = t.indexOf(':', j + 1);
    if (k !== -1 && k - j <= 5 && /^[0-9a-f]*$/i.test(t.slice(i + 1, j)) && /^[0-9a-f]*$/i.test(t.slice(j + 1, k))) {
      // Three or more groups: "10:00:00" passes this too; a fourth group is what a time never has.
      const l = t.indexOf(':', k + 1);
      if (l !== -1 && l - k <= 5 && /^[0-9a-f]*$/i.test(t.slice(k + 1, l))) return true;
    }
  }
  return false;
}

export const ipv6Rule: Rule = {
  name: 'ipv6',
  // In brackets with an optional port ([2001:db8::1]:443), or bare with an optional prefix. At most 8
  // groups of at most 4 digits: bounded. Not inside a longer run of word characters, colons or dots.
  re: /\[[0-9a-f:.]{2,45}\](?::\d{1,5}(?!\d))?|(?<![\w:.])(?:[0-9a-f]{1,4}:|::?){2,7}(?:[0-9a-f]{1,4}|:)(?:\.\d{1,3}){0,3}(?:\/\d{1,3}(?!\d))?(?![\w:.])/gi,
  take: (m, at, e) => {
    if (m.startsWith('[')) {
      const close = m.indexOf(']');
      const ip = m.slice(1, close);
      if (!canonicalIPv6(ip)) return false;
      const port = m.length > close + 1 ? Number(m.slice(close + 2)) : undefined;
      e.add('ip-dst', ip, { at, ...(port ? { port } : {}) });
      return;
    }
    const [ip = '', prefix] = m.split('/');
    // A colon-hex run that is not an address (MAC, timestamps, C++ "a::b") is left alone.
    if (ip.length <= 2 || !canonicalIPv6(ip)) return false;
    e.add(prefix === undefined ? 'ip-dst' : 'cidr', m, { at });
  },
  needs: mayHoldIpv6,
};

export const magnetRule: Rule = {
  name: 'magnet',
  // A magnet link names a torrent by its hash and display name (a file name with versions in it):
  // context, not an indicator here. Taken whole so no rule reads a version in it as an address.
  // Display names are sometimes pasted with raw spaces: the link ends at a tab or the line's end.
  re: /\bmagnet:\?[^\t\r\n<>"'\x60]{1,4096}/gi,
  take: () => undefined,
  needs: (t) => /magnet:/i.test(t),
};
