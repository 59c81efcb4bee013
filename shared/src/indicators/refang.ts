/**
 * Refang (turn the defanged forms analysts paste back into real values) and defang (make a value
 * safe to show and copy: not clickable, not auto-linked). Both are pure string functions.
 */

// Ordered: longer forms first, so "[.]" is not half-eaten by a rule for ".". The spaces around a form
// are spaces or tabs, never a newline: refanging keeps the line count, so the extractor can show the
// line a value came from as it was pasted.
const DOT_FORMS = /[ \t]?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[[ \t]\.[ \t]\]|<\.>)[ \t]?/gi;
const AT_FORMS = /[ \t]?(?:\[@\]|\(@\)|\{@\}|\[at\]|\(at\)|\{at\})[ \t]?/gi;
const COLON_FORMS = /\[:\]|\(:\)|\{:\}/g;
const SLASH_FORMS = /\[\/\]/g;

/** Undoes common defanging: hxxp, meow, fxp, [.] (.) {.} [dot] (dot), \., [:], [@] [at], [/]. */
export function refang(value: string): string {
  return value
    .replace(/\b(?:hxxp|hXXp|h\*\*p|hxp|meow)(s?)(\[?:\]?)\/\//gi, (_m, s: string) => `http${s.toLowerCase()}://`)
    .replace(/\bfxp(s?):\/\//gi, (_m, s: string) => `ftp${s.toLowerCase()}://`)
    .replace(DOT_FORMS, '.')
    .replace(AT_FORMS, '@')
    .replace(COLON_FORMS, ':')
    .replace(SLASH_FORMS, '/')
    .replace(/\\\./g, '.');
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
