/**
 * A titled document's marking in its page header: the TLP badge and who it is releasable to, and for
 * its team (or a workspace owner) a way to change it. The server audits the change and closes the
 * document for teams that lose sight of it.
 */
import { useState } from 'react';
import type { Account, Role, TitledDocument } from '@huntroom/shared';
import { patch } from '../lib/api.js';
import { TlpBadge } from './badges.js';
import { ErrorBanner } from './forms.js';
import { MarkingEditor, useTeamList, type MarkingValue } from './MarkingEditor.js';

interface Props {
  doc: TitledDocument;
  /** REST path of the document: /api/workspaces/:id/notes/:noteId */
  path: string;
  account: Account;
  role: Role;
  onChanged: () => void;
  /** Only workspace owners may change it (the ATT&CK board, which belongs to the workspace). */
  ownersOnly?: boolean;
}

export function DocMarking({ doc, path, account, role, onChanged, ownersOnly = false }: Props) {
  const teams = useTeamList();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>();
  const codeOf = new Map((teams.data ?? []).map((t) => [t.id, t.code]));
  const idOf = new Map((teams.data ?? []).map((t) => [t.code, t.id]));
  const owner = (teams.data ?? []).find((t) => t.id === doc.ownerTeamId)?.code ?? account.team.code;
  const value: MarkingValue = { tlp: doc.marking.tlp, releasableTo: doc.marking.releasableTo.map((id) => codeOf.get(id) ?? id) };
  const mayChange = role === 'owner' || (!ownersOnly && role !== 'observer' && doc.ownerTeamId === account.team.id);

  async function save(m: MarkingValue) {
    setError(undefined);
    try {
      await patch(path, { marking: { tlp: m.tlp, releasableTo: m.releasableTo.map((c) => idOf.get(c) ?? c) } });
      setEditing(false);
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <span className="doc-marking" data-testid="doc-marking">
      <TlpBadge level={doc.marking.tlp} />
      {value.releasableTo.length > 0 && <span className="muted small">to {value.releasableTo.join(', ')}</span>}
      {mayChange && !editing && (
        <button className="btn small" onClick={() => setEditing(true)} data-testid="doc-marking-edit">
          Marking…
        </button>
      )}
      {editing && (
        <span className="doc-marking-pop">
          <MarkingEditor value={value} ownTeam={owner} onSave={save} onCancel={() => setEditing(false)} testId="doc-marking" />
          <ErrorBanner error={error} />
        </span>
      )}
    </span>
  );
}
