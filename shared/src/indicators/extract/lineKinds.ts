/**
 * What kind of line a value stands on, when that says it is not evidence: a comment line of an IOC
 * list (its links are references, its hashes entries commented out), a list of references (Sigma's
 * `references:`, YARA's `reference =`), the Received headers of an e-mail (every hop but the first is
 * a relay of the mail provider: only the last Received header, the one added first, names the sender's
 * host) and the message-id headers (an id, not an address). One linear pass over the lines.
 */
export type LineKind = 'comment' | 'reference' | 'relay' | 'message-id';

/**
 * A row of a tab-separated table under a header that names some columns as not evidence ("Possible
 * legitimate SHA-1", "Backdoor password"): the reason per column index.
 */
export type TableRow = Map<number, string>;

// A header cell naming what is not evidence: the clean file a sample imitates, a credential, a key.
// Not "key" alone: a "Registry key" column is evidence.
const NOT_EVIDENCE_COLUMN = /\b(?:legitimate|clean|benign|passwords?|passphrase|credentials?|(?:rsa|public|private|encryption|decryption|xor|rc4|aes|api|licen[cs]e)\s+keys?)\b/i;
// A header row: at least two cells, none with a long run of digits or hex (which a data row has).
const looksLikeHeader = (cells: string[]): boolean => cells.length >= 2 && cells.every((c) => c.length <= 60 && !/[0-9a-f]{8}|\d{4}/i.test(c));

const COMMENT = /^\s*(?:#|\/\/|;)/;
const REFERENCE_FIELD = /^\s*(?:-\s*)?(?:references?|refs?|links?|sources?|see also|more info(?:rmation)?)\s*[:=]/i;
const LIST_ITEM = /^\s*-\s/;
const HEADER = /^([A-Za-z][A-Za-z0-9-]{0,60}):/;
// Headers the receiving servers add about the mail's path and its checks: relays and providers.
const AUTH_HEADERS =
  /^(?:authentication-results|received-spf|arc-[a-z-]+|dkim-signature|x-ms-exchange-[a-z-]+|x-forefront-[a-z-]+|x-originating-ip|x-mailer-sender|x-google-[a-z-]+)$/;
const MESSAGE_ID_HEADERS = new Set(['message-id', 'in-reply-to', 'references', 'thread-index', 'x-ms-exchange-organization-network-message-id', 'x-microsoft-original-message-id']);

/** The kind of each line that has one (line number -> kind); lines without one are absent. */
export function lineKinds(text: string, tables: Map<number, TableRow> = new Map()): Map<number, LineKind> {
  const kinds = new Map<number, LineKind>();
  let columns: TableRow | undefined; // the flagged columns of the table being read
  const received: number[][] = [];
  let header: string | undefined; // the e-mail header a continuation line belongs to
  let inReferences = false; // inside a YAML `references:` list
  let n = 0;
  for (let start = 0; start <= text.length; n++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const lineLength = end - start;
    if (lineLength < 3) {
      // No value fits on it: only the state a short line ends (a blank line ends a table, a list,
      // the headers). Cheap, for a paste of a million empty lines.
      const first = text.charCodeAt(start);
      if (lineLength === 0 || !(first === 32 || first === 9) || header === undefined) header = undefined;
      if (!text.slice(start, end).trim()) columns = undefined;
      inReferences = false;
      start = end + 1;
      if (end === text.length) break;
      continue;
    }
    const line = text.slice(start, Math.min(end, start + 400));
    start = end + 1;
    if (line.includes('\t')) {
      const cells = line.split('\t').map((c) => c.trim());
      if (looksLikeHeader(cells)) {
        columns = new Map(cells.flatMap((c, i) => (NOT_EVIDENCE_COLUMN.test(c) ? [[i, `in the table column "${c}"`] as const] : [])));
        if (columns.size === 0) columns = undefined;
      } else if (columns && lineLength <= 4096) tables.set(n, columns); // the emitter counts tabs up to a match
    } else if (!line.trim()) columns = undefined;
    const continuation = /^[ \t]/.test(line) && header !== undefined;
    if (!continuation) header = HEADER.exec(line)?.[1]?.toLowerCase();
    // YAML's "references:" opens a list of links; the e-mail header has message ids on its line.
    if (header === 'references' && /:\s*$/.test(line)) header = undefined;
    if (header && AUTH_HEADERS.test(header)) kinds.set(n, 'relay');
    else if (header === 'received') {
      if (!continuation) received.push([]);
      received[received.length - 1]!.push(n);
    } else if (header && MESSAGE_ID_HEADERS.has(header)) kinds.set(n, 'message-id');
    if (header && MESSAGE_ID_HEADERS.has(header)) inReferences = false;
    else if (REFERENCE_FIELD.test(line)) {
      kinds.set(n, 'reference');
      inReferences = /:\s*$/.test(line);
    } else if (inReferences && LIST_ITEM.test(line)) kinds.set(n, 'reference');
    else {
      inReferences = false;
      if (COMMENT.test(line)) kinds.set(n, 'comment');
    }
    if (end === text.length) break;
  }
  // Every Received header but the last (the first hop, added by the first server) is a relay.
  for (const lines of received.slice(0, -1)) for (const l of lines) kinds.set(l, 'relay');
  return kinds;
}

/** Why a value of `type` on a line of `kind` is probably not an indicator, or undefined. */
export function lineReason(kind: LineKind | undefined, type: string): string | undefined {
  switch (kind) {
    case 'comment':
      if (type === 'url') return 'a link in a comment line (a reference)';
      if (['md5', 'sha1', 'sha256', 'sha512'].includes(type)) return 'on a comment line (commented out)';
      return undefined;
    case 'reference':
      return type === 'url' || type === 'domain' || type === 'hostname' ? 'a reference link' : undefined;
    case 'relay':
      return ['ip-dst', 'ip-src', 'domain', 'hostname', 'email'].includes(type) ? 'a mail relay or provider (a later Received header or an authentication header)' : undefined;
    case 'message-id':
      return type === 'email' || type === 'domain' || type === 'hostname' ? 'a message id, not an address' : undefined;
    default:
      return undefined;
  }
}
