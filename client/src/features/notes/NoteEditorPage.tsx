/** One note: title and marking, the live editor, who is here, its sync state, and its versions. */
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type { Note } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAccount } from '../../lib/session.js';
import { presenceOf } from '../../lib/collab/docSession.js';
import { useDocSession } from '../../lib/collab/useDocSession.js';
import { ErrorBanner } from '../../components/forms.js';
import { useWorkspace } from '../workspaces/context.js';
import { NoteEditor } from './NoteEditor.js';
import { PresenceBar } from '../../components/PresenceBar.js';
import { DocumentHead } from '../documents/DocumentHead.js';
import { VersionsPanel } from './VersionsPanel.js';

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
      <DocumentHead
        back="Notes"
        doc={note.data}
        path={`/api/workspaces/${ws.id}/notes/${noteId}`}
        account={account}
        role={ws.role}
        status={status}
        onChanged={note.reload}
        headingTestId="note-heading"
      />
      <ErrorBanner error={note.error} />
      <div className="doc-bar">
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
        {session && <NoteEditor key={session.docId} session={session} user={user} readOnly={readOnly} defanged={defanged} status={status} />}
        {showVersions && <VersionsPanel workspaceId={ws.id} noteId={noteId} canWrite={!readOnly} />}
      </div>
    </section>
  );
}
