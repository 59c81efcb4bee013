/** The workspace's notes the caller's team may see: search by title, create, rename, delete. */
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Note } from '@huntroom/shared';
import { del, get, patch, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner, fieldErrors } from '../../components/forms.js';
import { TlpBadge } from '../../components/badges.js';
import { useWorkspace } from '../workspaces/context.js';

export function NotesList() {
  const ws = useWorkspace();
  const navigate = useNavigate();
  const notes = useAsync(() => get<{ notes: Note[] }>(`/api/workspaces/${ws.id}/notes`).then((r) => r.notes), [ws.id]);
  const [query, setQuery] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>();
  const canWrite = ws.role !== 'observer';

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (notes.data ?? []).filter((n) => !q || n.title.toLowerCase().includes(q)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }, [notes.data, query]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const note = await post<Note>(`/api/workspaces/${ws.id}/notes`, { title });
      navigate(note.id);
    } catch (err) {
      setError(err);
    }
  }

  async function rename(n: Note) {
    const next = window.prompt('New title', n.title);
    if (!next || next === n.title) return;
    try {
      await patch(`/api/workspaces/${ws.id}/notes/${n.id}`, { title: next });
      notes.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function remove(n: Note) {
    if (!window.confirm(`Delete the note “${n.title}” for everyone?`)) return;
    try {
      await del(`/api/workspaces/${ws.id}/notes/${n.id}`);
      notes.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="stack">
      <div className="page-head">
        <h1>Hunt notes</h1>
        <input className="search" type="search" placeholder="Search titles…" aria-label="Search notes by title" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="notes-search" />
      </div>
      <ErrorBanner error={error ?? notes.error} />
      {canWrite && (
        <form className="card inline-form row" onSubmit={create} data-testid="note-create-form">
          <div className="field">
            <label htmlFor="note-title">New note</label>
            <input id="note-title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. Lateral movement on DC01" aria-invalid={!!fieldErrors(error).title} required data-testid="note-title" />
          </div>
          <button className="btn primary" type="submit" data-testid="note-create">Create</button>
        </form>
      )}
      <ul className="note-list" data-testid="note-list">
        {shown.length === 0 && <li className="muted">{query ? 'No note matches.' : 'No notes yet.'}</li>}
        {shown.map((n) => (
          <li key={n.id} className="card note-item" data-testid={`note-item-${n.title}`}>
            <Link to={n.id} className="note-link">{n.title}</Link>
            <TlpBadge level={n.marking.tlp} />
            <span className="muted small">updated {new Date(n.updatedAt).toLocaleString()}</span>
            {canWrite && (
              <span className="note-actions">
                <button className="btn small" onClick={() => void rename(n)}>Rename</button>
                <button className="btn small danger" onClick={() => void remove(n)}>Delete</button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
