/**
 * The workspace's titled documents of one kind (notes, whiteboards) that the caller's team may see:
 * search by title, create, rename, delete. Each kind passes its words and its REST path.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { TLP_LEVELS, type TitledDocument, type TlpLevel } from '@huntroom/shared';
import { del, get, patch, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner, fieldErrors } from '../../components/forms.js';
import { TlpBadge } from '../../components/badges.js';
import { useWorkspace } from '../workspaces/context.js';
import './documents.css';

export interface DocumentKind {
  /** REST segment and response key: /api/workspaces/:id/<path> -> { <path>: [...] }. */
  path: 'notes' | 'whiteboards';
  /** Singular noun in messages: "note". */
  noun: string;
  heading: string;
  placeholder: string;
  /** Prefix of data-testid values: `<testId>-title`, `<testId>-create`, `<testId>-item-<title>`. */
  testId: string;
}

export function DocumentList({ kind }: { kind: DocumentKind }) {
  const ws = useWorkspace();
  const navigate = useNavigate();
  const base = `/api/workspaces/${ws.id}/${kind.path}`;
  const docs = useAsync(() => get<Record<string, TitledDocument[]>>(base).then((r) => r[kind.path] ?? []), [base]);
  const [query, setQuery] = useState('');
  const [title, setTitle] = useState('');
  const [tlp, setTlp] = useState<TlpLevel>(ws.defaultTlp);
  const [error, setError] = useState<unknown>();
  const canWrite = ws.role !== 'observer';

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (docs.data ?? []).filter((n) => !q || n.title.toLowerCase().includes(q)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }, [docs.data, query]);

  // Shows its own errors in the banner, so the form's submit handler starts it and does not wait.
  async function create(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      // Releasable to every team of the workspace at first; the page's Marking… narrows it.
      const created = await post<TitledDocument>(base, { title, marking: { tlp, releasableTo: [] } });
      navigate(created.id);
    } catch (err) {
      setError(err);
    }
  }

  async function rename(n: TitledDocument) {
    const next = window.prompt('New title', n.title);
    if (!next || next === n.title) return;
    try {
      await patch(`${base}/${n.id}`, { title: next });
      docs.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function remove(n: TitledDocument) {
    if (!window.confirm(`Delete the ${kind.noun} “${n.title}” for everyone?`)) return;
    try {
      await del(`${base}/${n.id}`);
      docs.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="stack">
      <div className="page-head">
        <h1>{kind.heading}</h1>
        <input
          className="search"
          type="search"
          placeholder="Search titles…"
          aria-label={`Search ${kind.path} by title`}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid={`${kind.testId}-search`}
        />
      </div>
      <ErrorBanner error={error ?? docs.error} />
      {canWrite && (
        <form className="card inline-form row" onSubmit={(e) => void create(e)} data-testid={`${kind.testId}-create-form`}>
          <div className="field">
            <label htmlFor="doc-title">New {kind.noun}</label>
            <input
              id="doc-title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              placeholder={kind.placeholder}
              aria-invalid={!!fieldErrors(error).title}
              required
              data-testid={`${kind.testId}-title`}
            />
          </div>
          <div className="field">
            <label htmlFor="doc-tlp">TLP</label>
            <select id="doc-tlp" value={tlp} onChange={(e) => setTlp(e.target.value as TlpLevel)} data-testid={`${kind.testId}-tlp`}>
              {TLP_LEVELS.map((l) => (
                <option key={l} value={l}>
                  TLP:{l}
                </option>
              ))}
            </select>
          </div>
          <button className="btn primary" type="submit" data-testid={`${kind.testId}-create`}>
            Create
          </button>
        </form>
      )}
      <ul className="doc-list" data-testid={`${kind.testId}-list`}>
        {shown.length === 0 && <li className="muted">{query ? `No ${kind.noun} matches.` : `No ${kind.path} yet.`}</li>}
        {shown.map((n) => (
          <li key={n.id} className="card doc-item" data-testid={`${kind.testId}-item-${n.title}`}>
            <Link to={n.id} className="doc-link">
              {n.title}
            </Link>
            <TlpBadge level={n.marking.tlp} />
            <span className="muted small">updated {new Date(n.updatedAt).toLocaleString()}</span>
            {canWrite && (
              <span className="doc-actions">
                <button className="btn small" onClick={() => void rename(n)}>
                  Rename
                </button>
                <button className="btn small danger" onClick={() => void remove(n)}>
                  Delete
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
