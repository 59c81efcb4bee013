/**
 * Registry keys and file paths (Windows with a drive, an %ENVVAR% or a UNC share; macOS and Linux
 * under the directories malware uses). A folder name may hold spaces ("Program Files", "Windows NT",
 * "Shell Extensions") because a "\" after it proves where it ends; the last part may not, since the
 * prose after a path cannot be told from a name with spaces.
 */
import { trimTrailing } from './emit.js';
import type { Rule } from './rule.js';

// A folder: no separator, no character Windows forbids, no "%" (so "a.exe and %TEMP%\b" is two
// paths, not a folder "a.exe and %TEMP%"); inner spaces allowed, at most 255 characters.
// The lookahead for "\" bounds the backtracking to one folder.
const FOLDER = String.raw`[^\\\s"'<>|*?:%](?:[^\\\r\n\t"'<>|*?:%]{0,253}[^\\\s"'<>|*?:%])?(?=\\)`;
// The last part: no spaces. "{" and "}" are allowed (CLSIDs); trimTrailing drops an unmatched one.
const LEAF = String.raw`[^\\\s"'<>|*?:]{1,255}`;
const TAIL = String.raw`(?:\\${FOLDER}){0,64}(?:\\${LEAF})?`;

const HIVE = String.raw`\b(?:HKLM|HKCU|HKCR|HKU|HKCC|HKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG))`;

export const regkeyRule: Rule = {
  name: 'regkey',
  re: new RegExp(HIVE + String.raw`(?:\\${FOLDER}){0,64}\\${LEAF}`, 'g'),
  take: (m, at, e) => void e.add('regkey', trimTrailing(m), { at }),
  needs: (t) => t.includes('\\'),
};

// C:\..., %APPDATA%\..., \\server\share$\...: the start is a drive, a variable or "\\" after no word
// character or backslash (a run of backslashes cannot start a path at each of its positions).
const WIN_ROOT = String.raw`(?:\b[A-Za-z]:|(?<![\w%])%[A-Za-z_][\w()]{0,40}%|(?<![\w\\])\\\\[\w.$-]{1,255}(?=\\))`;

export const windowsPathRule: Rule = {
  name: 'filepath',
  re: new RegExp(WIN_ROOT + TAIL, 'g'),
  take: (m, at, e) => {
    const value = trimTrailing(m);
    // "C:" or "%TEMP%" alone, or a UNC host without a share, is not a path.
    if (!/\\[^\\]/.test(value.slice(2))) return false;
    e.add('filepath', value, { at });
  },
  needs: (t) => t.includes('\\'),
};

// Unix paths only under the top directories malware writes to or runs from, so the "a/b" of prose
// ("and/or", "TCP/IP", "w/o") is never a path; also ~/... and $HOME/....
const UNIX_ROOTS = 'tmp|var|etc|usr|opt|home|root|bin|sbin|lib|lib32|lib64|dev|proc|run|srv|boot|mnt|media|Library|Users|System|Applications|private|Volumes';
const UNIX = String.raw`(?<![\w.~/\\$-])(?:(?:~|\$HOME)/[^\s"'<>|;,()\x60]{1,4096}|/(?:${UNIX_ROOTS})/[^\s"'<>|;,()\x60]{1,4096})`;

export const unixPathRule: Rule = {
  name: 'unixpath',
  re: new RegExp(UNIX, 'g'),
  take: (m, at, e) => {
    const value = trimTrailing(m);
    if (value.endsWith('/') && value.split('/').length < 4) return false;
    e.add('filepath', value, { at });
  },
  needs: (t) => t.includes('/'),
};
