/**
 * The line a shared document shows while it cannot be edited yet: until the server's first sync or this
 * device's copy (docStatus.ts, `loaded`). An edit made to the empty copy before then is misplaced or
 * lost: text lands after the note's last paragraph, a shape lands among shapes its author never saw, a
 * mark set on the ATT&CK board races the team's existing mark for the same technique and one of the two
 * silently wins. So notes, whiteboards and the ATT&CK board stay read only until loaded and say why
 * with this line.
 */
import type { DocStatus } from '../lib/collab/docStatus.js';
import './docLoadingNotice.css';

export function DocLoadingNotice({ status, what }: { status: Pick<DocStatus, 'loaded' | 'link'>; what: string }) {
  if (status.loaded) return null;
  return (
    <p className="muted doc-loading" role="status" data-testid="doc-loading">
      {status.link === 'offline' ? `This ${what} is not on this device yet. It opens when the connection is back.` : `Loading the ${what}…`}
    </p>
  );
}
