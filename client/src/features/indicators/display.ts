/**
 * How an indicator's value is drawn and counted on the board. Pure, for tests.
 *
 * Defanging is for what a reader's tools could click or resolve: hosts, URLs, addresses, e-mails.
 * A file path (`C:\Users\Public\svchost.exe`), a registry key or a file name only contains dots; a
 * bracket in it would make it wrong to copy into a search, so those are shown as they are.
 */
import { defang } from '@huntroom/shared';

const CLICKABLE_TYPES: ReadonlySet<string> = new Set(['ip-src', 'ip-dst', 'cidr', 'domain', 'hostname', 'url', 'email']);

/** Whether a value of this type is defanged for display and copy. */
export const defangsType = (type: string): boolean => CLICKABLE_TYPES.has(type);

/** The value as shown: defanged when the toggle is on and its type can be clicked or resolved. */
export function displayValue(type: string, value: string, defanged = true): string {
  return defanged && defangsType(type) ? defang(value) : value;
}

/** "1 indicator", "2 indicators": the count with its noun in the right number. */
export function countOf(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? singular : pluralForm}`;
}

const HASH_TYPES: ReadonlySet<string> = new Set(['md5', 'sha1', 'sha256', 'sha512', 'ssdeep', 'ja3']);

/**
 * Hashes are told apart by both ends: a long one is cut in the middle (`5f4dcc3b…d8327deb`), never at
 * its end. The whole value stays in the cell's title and the copy button.
 */
export function middleEllipsis(type: string, value: string, keep = 12): string {
  if (!HASH_TYPES.has(type) || value.length <= keep * 2 + 1) return value;
  return `${value.slice(0, keep)}…${value.slice(-keep)}`;
}
