/**
 * Refang (turn the defanged forms analysts paste back into real values) and defang (make a value
 * safe to show and copy: not clickable, not auto-linked). Both are pure string functions.
 */

// Every defanged form in one pass (a 10 MB paste is read once, not seven times). Longer forms come
// first in the alternation, so "[.]" is not half-eaten by a rule for ".". The spaces around a form
// are spaces or tabs, never a newline: refanging keeps the line count, so the extractor can show the
// line a value came from as it was pasted. "\." is a defanged dot, but not in "\\.\pipe\...".
const FORMS =
  /\b(?:hxxp|h\*\*p|hxp|meow)(s?)(?:\[:\]|\[:|:\]|:)\/\/|\bfxp(s?):\/\/|[ \t]?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[[ \t]\.[ \t]\]|<\.>)[ \t]?|[ \t]?(?:\[@\]|\(@\)|\{@\}|\[at\]|\(at\)|\{at\})[ \t]?|\[:\]|\(:\)|\{:\}|\[\/\]|(?<!\\)\\\./gi;

function refangForm(m: string, http: string | undefined, ftp: string | undefined): string {
  if (http !== undefined) return `http${http.toLowerCase()}://`;
  if (ftp !== undefined) return `ftp${ftp.toLowerCase()}://`;
  const t = m.trim().toLowerCase();
  if (t.includes('@') || t.includes('at')) return '@';
  if (t.includes(':')) return ':';
  if (t === '[/]') return '/';
  return '.';
}

/** Undoes common defanging: hxxp, meow, fxp, [.] (.) {.} [dot] (dot), \., [:], [@] [at], [/]. */
export function refang(value: string): string {
  return value.replace(FORMS, refangForm);
}

/** Defangs a value for display or copy: http -> hxxp, dots of hosts -> [.], @ -> [@]. */
export function defang(value: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    const rest = value.slice(scheme[0].length);
    const cut = rest.search(/[/?#]/);
    const host = cut === -1 ? rest : rest.slice(0, cut);
    const tail = cut === -1 ? '' : rest.slice(cut);
    const s = scheme[1]!.toLowerCase().replace(/^http/, 'hxxp').replace(/^ftp/, 'fxp');
    return `${s}://${host.replace(/\./g, '[.]').replace(/@/g, '[@]')}${tail}`;
  }
  return value.replace(/@/g, '[@]').replace(/\./g, '[.]');
}
