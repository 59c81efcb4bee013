/**
 * Registry keys and file paths (Windows with a drive, an %ENVVAR% or a UNC share; macOS and Linux
 * under the directories malware uses). A folder name may hold spaces ("Program Files", "Windows NT",
 * "Shell Extensions") because a "\" after it proves where it ends; the last part may not, since the
 * prose after a path cannot be told from a name with spaces.
 */
import { trimTrailing } from './emit.js';
import type { Rule } from './rule.js';
import { FILE_EXTENSIONS } from '../tlds.js';
import { systemPathReason } from './systemPaths.js';

/**
 * A command line read as a path: "C:\Windows\system32\reg.exe save HKLM\SAM" has a "folder" with
 * spaces that holds a file name and its arguments. Such a path ends at the file name.
 */
function cutAtCommand(value: string, sep: string): string {
  const m = /^[^ ]*?\.(\w{2,5}) /.exec(value);
  if (!m || !FILE_EXTENSIONS.has(m[1]!.toLowerCase())) return value;
  const cut = m[0].length - 1;
  return value.indexOf(sep, cut) === -1 ? value : value.slice(0, cut);
}

const systemPath = (value: string): { benign?: string } => {
  const why = systemPathReason(value);
  return why ? { benign: why } : {};
};

// A folder: no separator, no character Windows forbids, no "%" (so "a.exe and %TEMP%\b" is two
// paths, not a folder "a.exe and %TEMP%"); inner spaces allowed, at most 255 characters.
// The lookahead for "\" bounds the backtracking to one folder.
// Words joined by single spaces; a word that starts another path (a hive, a drive) is not part of it:
// "...\\Run and HKCU\\Software" is two keys.
const WORD = String.raw`[^\\\s"'<>|*?:%]{1,255}`;
const FOLDER = String.raw`${WORD}(?: (?!HK(?:LM|CU|CR|U|CC|EY_)|[A-Za-z]:)${WORD}){0,16}(?=\\)`;
// The last part: no spaces. "{" and "}" are allowed (CLSIDs); trimTrailing drops an unmatched one.
const LEAF = String.raw`[^\\\s"'<>|*?:]{1,255}`;
// A placeholder folder (C:\Users\<user>\AppData) as reports write a path that differs per victim.
const PLACEHOLDER = String.raw`<[\w -]{1,32}>(?=\\)`;
const TAIL = String.raw`(?:\\(?:${PLACEHOLDER}|${FOLDER})){0,64}(?:\\${LEAF})?`;

const HIVE = String.raw`\b(?:HKLM|HKCU|HKCR|HKU|HKCC|HKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG))`;

export const regkeyRule: Rule = {
  name: 'regkey',
  re: new RegExp(HIVE + String.raw`(?:\\${FOLDER}){0,64}\\${LEAF}`, 'g'),
  take: (m, at, e) => {
    const value = trimTrailing(m);
    // A hive and one key (HKLM\SAM, HKCU\Software) names a whole branch, not what malware wrote.
    if (value.split('\\').filter(Boolean).length < 3) return false;
    e.add('regkey', value, { at });
  },
  needs: (t) => t.includes('\\'),
};

// C:\..., %APPDATA%\..., \\server\share$\...: the start is a drive, a variable or "\\" after no word
// character or backslash (a run of backslashes cannot start a path at each of its positions).
const WIN_ROOT = String.raw`(?:\b[A-Za-z]:|(?<![\w%])%[A-Za-z_][\w()]{0,40}%|(?<![\w\\])\\\\[\w.$-]{1,255}(?=\\))`;
// %APPDATA%/Microsoft/...: a variable then forward slashes, as some reports and tools write it.
const ENV_SLASHED = String.raw`(?<![\w%])%[A-Za-z_][\w()]{0,40}%(?:/[^\s"'<>|*?:%/]{1,255}){1,64}`;

export const windowsPathRule: Rule = {
  name: 'filepath',
  re: new RegExp(`${ENV_SLASHED}|${WIN_ROOT}${TAIL}\\\\?`, 'g'),
  take: (m, at, e) => {
    const value = cutAtCommand(trimTrailing(m), '\\');
    const parts = value.split(/[\\/]/).filter(Boolean);
    // "C:" or "%TEMP%" alone, a UNC host without a share, or a root and one folder (C:\Users,
    // %APPDATA%\Microsoft) names a place every machine has, unless written as a folder (C:\Intel\)
    // or a file (%TEMP%\a.exe).
    if (parts.length < 2 || (parts.length === 2 && !/\.\w{1,5}$|\\$/.test(value))) return false;
    e.add('filepath', value, { at, ...systemPath(value) });
  },
  needs: (t) => t.includes('\\'),
};

// Unix paths only under the top directories malware writes to or runs from, so the "a/b" of prose
// ("and/or", "TCP/IP", "w/o") is never a path; also ~/... and $HOME/....
const UNIX_ROOTS = 'tmp|var|etc|usr|opt|home|root|bin|sbin|lib|lib32|lib64|dev|proc|run|srv|boot|mnt|media|Library|Users|System|Applications|private|Volumes';
// A directory may hold single spaces when a "/" proves where it ends, as on Windows.
// "*" (a glob or a markup star) and "&" (a shell's background or an HTML entity) end a path.
const UNIX_PART = String.raw`[^\s"'<>|;,()\x60/*&]{1,255}`;
// A directory with spaces is written in title case (macOS: "Application Support"), and a word that
// ends a sentence or a clause (". TCP/IP") does not continue it.
const UNIX_DIR = String.raw`${UNIX_PART}(?:(?<![.,:;!?]) [A-Z0-9][^\s"'<>|;,()\x60/*&]{0,60}){0,8}(?=/)`;
const UNIX_TAIL = String.raw`(?:/${UNIX_DIR}){0,64}(?:/${UNIX_PART})?/?`;
const UNIX = String.raw`(?<![\w.~/\\$-])(?:~|\$HOME|/(?:${UNIX_ROOTS})(?=/))${UNIX_TAIL}`;

export const unixPathRule: Rule = {
  name: 'unixpath',
  re: new RegExp(UNIX, 'g'),
  take: (m, at, e) => {
    // A folder named only with dots (/tmp/...) is a classic hiding place: its dots are the name, not
    // the end of a sentence.
    const value = /\/\.{3,}$/.test(m) ? m : cutAtCommand(trimTrailing(m), '/');
    // One part (/tmp/) is a place every machine has; a name cut after one "-" is a prefix (/tmp/dbus-).
    if (value.split('/').filter(Boolean).length < 2 || /[^-]-$/.test(value)) return false;
    e.add('filepath', value, { at, ...systemPath(value) });
  },
  needs: (t) => t.includes('/'),
};

export const mutexRule: Rule = {
  name: 'mutex',
  // Named kernel objects in a session namespace: Global\... and Local\... (a mutex, an event).
  re: /(?<![\w\\])(?:Global|Local)\\[\w.{}-]{2,128}(?![\w\\])/g,
  take: (m, at, e) => void e.add('mutex', trimTrailing(m), { at }),
  needs: (t) => t.includes('\\'),
};

export const namedPipeRule: Rule = {
  name: 'pipe',
  // Named pipes: \\.\pipe\name, and the same with doubled separators as code and reports escape them.
  re: /(?<![\w\\])\\\\(?:\.\\{1,2})?pipe\\{1,2}[\w.{}$-]{1,128}/gi,
  take: (m, at, e) => void e.add('filepath', trimTrailing(m), { at }),
  needs: (t) => /pipe/i.test(t),
};
