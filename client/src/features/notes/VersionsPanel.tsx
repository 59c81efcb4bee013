/** Named versions of a note: save one, list them, view one read-only, restore one as a new change. */
import { useState, type FormEvent } from 'react';
import type { NoteVersion, NoteVersionContent } from '@huntroom/shared';
import { get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner } from '../../components/forms.js';
import { VersionViewer } from './VersionViewer.js';

export function VersionsPanel({ workspaceId, noteId, canWrite }: { workspaceId: string; noteId: string; canWrite: boolean }) {
  const base = `/api/workspaces/${workspaceId}/notes/${noteId}/versions`;
  const versions = useAsync(() => get<{ versions: NoteVersion[] }>(base).then((r) => r.versions), [base]);
  const [name, setName] = useState('');
  const [viewing, setViewing] = useState<NoteVersionContent>();
  const [error, setError] = useState<unknown>();

  // Shows its own errors in the banner, so the form's submit handler starts it and does not wait.
  async function save(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await post(base, { name });
      setName('');
      versions.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function view(id: string) {
    try {
      setViewing(await get<NoteVersionContent>(`${base}/${id}`));
    } catch (err) {
      setError(err);
    }
  }

  async function restore(v: NoteVersion) {
    if (!window.confirm(`Restore “${v.name}”? Everyone sees the note change; the current text stays in the history.`)) return;
    try {
      await post(`${base}/${v.id}/restore`);
      setViewing(undefined);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <aside className="card versions" aria-label="Versions" data-testid="versions-panel">
      <h2>Versions</h2>
      <ErrorBanner error={error ?? versions.error} />
      {canWrite && (
        <form onSubmit={(e) => void save(e)} className="row">
          <div className="field">
            <label htmlFor="version-name">Save this state as</label>
            <input id="version-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. before handoff" required data-testid="version-name" />
          </div>
          <button className="btn" type="submit" data-testid="version-save">
            Save
          </button>
        </form>
      )}
      <ul className="version-list">
        {versions.data?.length === 0 && <li className="muted">No versions yet.</li>}
        {versions.data?.map((v) => (
          <li key={v.id} data-testid={`version-${v.name}`}>
            <div>
              <strong>{v.name}</strong>
            </div>
            <div className="muted small">
              {v.createdByUsername ?? 'someone'} · {new Date(v.createdAt).toLocaleString()}
            </div>
            <div className="row-actions">
              <button className="btn small" onClick={() => void view(v.id)}>
                View
              </button>
              {canWrite && (
                <button className="btn small" onClick={() => void restore(v)} data-testid={`version-restore-${v.name}`}>
                  Restore
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {viewing && <VersionViewer version={viewing} onClose={() => setViewing(undefined)} />}
    </aside>
  );
}
