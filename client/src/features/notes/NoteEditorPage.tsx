/** One note: title and marking, the live editor, who is here, its sync state, and its versions. */
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Note } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAccount } from '../../lib/session.js';
import { presenceOf } from '../../lib/collab/docSession.js';
import { useDocSession } from '../../lib/collab/useDocSession.js';
import type { DocStatus } from '../../lib/collab/docStatus.js';
import { ErrorBanner } from '../../components/forms.js';
import { TlpBadge } from '../../components/badges.js';
import { useWorkspace } from '../workspaces/context.js';
import { NoteEditor } from './NoteEditor.js';
import { PresenceBar } from './PresenceBar.js';
import { VersionsPanel } from './VersionsPanel.js';

function DocStatusBadge({ status }: { status: DocStatus }) {
  const waiting = status.waiting === 1 ? '1 change waiting' : `${status.waiting} changes waiting`;
  const label = status.link === 'synced' ? 'Saved · live' : status.link === 'syncing' ? 'Syncing…' : `Offline${status.waiting ? ` · ${waiting}` : ''}`;
  const tone = status.link === 'synced' ? 'ok' : status.link === 'syncing' ? 'busy' : 'bad';
  return (
    <span className={`conn conn-${tone}`} data-testid="doc-status" data-state={status.link} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden />
      {label}
    </span>
  );
}

export function NoteEditorPage() {
  const { noteId = '' } = useParams();
  const ws = useWorkspace();
  const account = useAccount();
  const note = useAsync(() => get<Note>(`/api/workspaces/${ws.id}/notes/${noteId}`), [ws.id, noteId]);
  const { session, status } = useDocSession(noteId, account);
  const user = useMemo(() => presenceOf(account), [account]);
  const [defanged, setDefanged] = useState(false);
  const [showVersions, setShowVersions] = useState(false);
  const readOnly = ws.role === 'observer';

  return (
    <section className="note-page">
      <div className="note-head">
        <Link to=".." relative="path" className="muted back-link">← Notes</Link>
        <h1 className="note-title" data-testid="note-heading">{note.data?.title ?? '…'}</h1>
        {note.data && <TlpBadge level={note.data.marking.tlp} />}
        <DocStatusBadge status={status} />
      </div>
      <ErrorBanner error={note.error} />
      <div className="note-bar">
        {session && <PresenceBar provider={session.provider} />}
        <label className="toggle">
          <input type="checkbox" checked={defanged} onChange={(e) => setDefanged(e.target.checked)} data-testid="defang-toggle" /> Show IOCs defanged
        </label>
        <button className="btn small" onClick={() => setShowVersions((v) => !v)} aria-expanded={showVersions} data-testid="versions-toggle">
          Versions
        </button>
        {readOnly && <span className="muted">Read only (observer)</span>}
      </div>
      <div className={`note-body ${showVersions ? 'with-side' : ''}`}>
        {session && <NoteEditor key={session.docId} session={session} user={user} readOnly={readOnly} defanged={defanged} />}
        {showVersions && <VersionsPanel workspaceId={ws.id} noteId={noteId} canWrite={!readOnly} />}
      </div>
    </section>
  );
}
