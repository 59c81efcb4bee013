/**
 * Edits carry a marker `~M<seq>~` (per-room sequence number) in their inserted text. Yjs encodes
 * inserted strings as plain UTF-8 inside the update, so a thin client finds the marker in the raw
 * bytes of a message without decoding the update, and knows which edit just arrived. A relayed
 * update may be a merge of several edits (Hocuspocus batches per event-loop turn), and a sync step 2
 * holds every edit so far, so all markers of a message are returned.
 */
const OPEN = Buffer.from('~M');
const TILDE = 0x7e;

export const marker = (seq) => `~M${seq}~`;

/** Calls `found(seq)` for every marker in the bytes. */
export function scanMarkers(bytes, found) {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = buf.indexOf(OPEN);
  while (i !== -1) {
    let seq = 0;
    let j = i + 2;
    let digits = 0;
    while (j < buf.length && buf[j] >= 0x30 && buf[j] <= 0x39) {
      seq = seq * 10 + (buf[j] - 0x30);
      j++;
      digits++;
    }
    if (digits && buf[j] === TILDE) found(seq);
    i = buf.indexOf(OPEN, j);
  }
}

/**
 * scanMarkers on `buf[start..end]`, for the lean thin client: no view and no closure per message (it
 * reads from one reused buffer), `found(seq, a, b)` with the caller's two arguments. A short message (an
 * edit's update) is scanned by a plain loop; a long one (a sync step 2 of a whole note) by scanMarkers,
 * whose indexOf runs at memchr speed.
 */
export function scanMarkersAt(buf, start, end, found, a, b) {
  if (end - start > 1024) return scanMarkers(buf.subarray(start, end), (seq) => found(seq, a, b));
  for (let i = start; i < end - 1; i++) {
    if (buf[i] !== TILDE || buf[i + 1] !== 0x4d) continue; // '~M'
    let seq = 0;
    let j = i + 2;
    while (j < end && buf[j] >= 0x30 && buf[j] <= 0x39) seq = seq * 10 + (buf[j++] - 0x30);
    if (j > i + 2 && j < end && buf[j] === TILDE) found(seq, a, b);
    i = j - 1;
  }
}

/**
 * Like scanMarkersAt, with where each marker lies: `found(seq, at, close)`, `at` the index of its
 * '~M' and `close` of its closing '~'. For the lean client's markers split across two reads.
 */
export function scanMarkerSpans(buf, start, end, found) {
  for (let i = start; i < end - 1; i++) {
    if (buf[i] !== TILDE || buf[i + 1] !== 0x4d) continue;
    let seq = 0;
    let j = i + 2;
    while (j < end && buf[j] >= 0x30 && buf[j] <= 0x39) seq = seq * 10 + (buf[j++] - 0x30);
    if (j > i + 2 && j < end && buf[j] === TILDE) found(seq, i, j);
    i = j - 1;
  }
}
