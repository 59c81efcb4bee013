/**
 * Dotted names: a domain or host name when the last label is a real TLD, a file name when it is the
 * extension of a file analysts import (setup-v5.60.final.zip, invoice_2024.pdf.exe), a scheme-less URL
 * when a path follows the host (www.example.top/x/y.php).
 */
import { FILE_EXTENSIONS, isKnownTld } from '../tlds.js';
import { trimTrailing } from './emit.js';
import type { Rule } from './rule.js';

// Unicode letters too: IDN names (bücher.de) are punycoded by normalization. "_" is allowed in a label
// so that file names (invoice_2024.exe) are read whole; the lookbehind lets a name start only where a
// run of name characters starts, and at most 126 labels are read: linear on "a.a.a.a..." and "1.1.1...".
const LABEL = String.raw`[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?`;
const NAME = String.raw`(?<![\p{L}\p{N}_.\-$%~])(?:${LABEL}\.){1,126}\p{L}[\p{L}\p{N}-]{0,62}(?![\p{L}\p{N}_@\\-])`;
const PORT = String.raw`(?::\d{1,5}(?![\d:]))?`;
const PATH = String.raw`(?:/[^\s<>"'\x60|\\^{}]*)?`;

const DETECTION = /(?:^|[\s:"'(|,;])[A-Za-z][A-Za-z0-9]{1,20}\/$/;

export const hostRule: Rule = {
  name: 'host',
  re: new RegExp(NAME + PORT + PATH, 'giu'),
  take: (m, at, e) => {
    // An antivirus detection name (Win32/Korplug.RU, Linux/SSHDoor.AE, Trojan:Win32/Emotet.A!MTB):
    // a platform or family word and "/" right before the name. A URL's path never gets here (the URL
    // rules took it), nor does a file path (the path rules did).
    if (DETECTION.test(e.text.slice(Math.max(0, at - 24), at))) return;
    // A call in code (app.run(...), thread.start()): a name is never followed by "(".
    if (e.text.charCodeAt(at + m.length) === 40 && !m.includes('/')) return false;
    const slash = m.indexOf('/');
    const hostPort = slash === -1 ? trimTrailing(m) : m.slice(0, slash);
    const colon = hostPort.indexOf(':');
    const name = colon === -1 ? hostPort : hostPort.slice(0, colon);
    const port = colon === -1 ? undefined : Number(hostPort.slice(colon + 1));
    const labels = name.toLowerCase().split('.');
    const last = labels[labels.length - 1]!;
    if (FILE_EXTENSIONS.has(last) && !labels.includes('onion')) {
      if (slash !== -1 || colon !== -1) return false;
      e.add('filename', name, { at });
      return;
    }
    // A TLD written in mixed case is a word of code or prose (Microsoft.Office, System.Net), not a
    // name: hosts are written in lower case, or all in capitals by some lists.
    const tld = name.slice(name.lastIndexOf('.') + 1);
    if (tld !== tld.toLowerCase() && tld !== tld.toUpperCase()) return false;
    if (!isKnownTld(last)) return false;
    const path = slash === -1 ? '' : trimTrailing(m.slice(slash));
    // A path makes it a URL, as if the scheme had been written; like a URL with a scheme, its host is
    // not offered a second time. A port alone is context, like an address's.
    if (path.length > 1) e.add('url', `http://${hostPort}${path}`, { at, path });
    else e.add(labels.length > 2 ? 'hostname' : 'domain', name, { at, ...(port ? { port } : {}) });
  },
};
