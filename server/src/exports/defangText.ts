/**
 * Defangs every network indicator inside free text (a note's body in a report): URLs get hxxp and
 * bracketed host dots, e-mail addresses [@] and [.], IPv4 addresses and domain names [.]. The same
 * `defang` the report applies to indicator values, found in running text. A dotted name counts as a
 * domain only under a known TLD, and a name right after a slash or backslash is part of a path
 * (C:\Users\Public\svchost.exe stays as written), so file names and paths are left alone.
 */
import { defang, isKnownTld } from '@huntroom/shared';

const URL_RE = String.raw`\b(?:https?|ftps?):\/\/[^\s<>"'\`]+`;
const EMAIL_RE = String.raw`\b[\w.+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,63}\b`;
const IPV4_RE = String.raw`\b\d{1,3}(?:\.\d{1,3}){3}\b`;
const HOST_RE = String.raw`(?<![\\/\w.@-])(?:[a-z0-9-]+\.)+([a-z]{2,63})\b(?![\\/]\w)`;
const TOKEN = new RegExp(`(${URL_RE})|(${EMAIL_RE})|(${IPV4_RE})|${HOST_RE}`, 'gi');

/** Trailing punctuation of a sentence is not part of the URL before it. */
const TRAIL = /[.,;:!?)\]]+$/;

export function defangText(text: string): string {
  return text.replace(TOKEN, (m: string, url?: string, email?: string, ip?: string, tld?: string) => {
    if (url) {
      const tail = TRAIL.exec(url)?.[0] ?? '';
      return defang(url.slice(0, url.length - tail.length)) + tail;
    }
    if (email || ip) return defang(m);
    return tld && isKnownTld(tld) ? m.replace(/\./g, '[.]') : m;
  });
}
