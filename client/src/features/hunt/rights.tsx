/**
 * What the reader may do to one hunt item, as the server judges it (server/src/hunt/common/rules.ts):
 * owners and hunters write; only the item's owner team or a workspace owner may change its marking or
 * delete it. Controls a reader cannot use are not shown; the server refuses them anyway.
 */
import { useState } from 'react';
import type { HuntItemBase } from '@huntroom/shared';
import { TlpBadge } from '../../components/badges.js';
import { MarkingEditor, describeMarking, type MarkingValue } from '../../components/MarkingEditor.js';
import { useAccount } from '../../lib/session.js';
import { useWorkspace } from '../workspaces/context.js';
import { canWrite } from './common.js';

export interface ItemRights {
  edit: boolean;
  remark: boolean;
  remove: boolean;
}

export function useItemRights(item: Pick<HuntItemBase, 'ownerTeam'>): ItemRights {
  const ws = useWorkspace();
  const account = useAccount();
  const edit = canWrite(ws.role);
  const owns = ws.role === 'owner' || item.ownerTeam.id === account.team.id;
  return { edit, remark: edit && owns, remove: edit && owns };
}

/** The marking in an edit form: shown in words, changeable when the reader may change it. */
export function MarkingLine({ value, onChange, canChange, testId }: { value: MarkingValue; onChange: (m: MarkingValue) => void; canChange: boolean; testId: string }) {
  const account = useAccount();
  const [open, setOpen] = useState(false);
  return (
    <>
      <p className="hunt-marking-line">
        <TlpBadge level={value.tlp} /> <span className="muted small">{describeMarking(value, account.team.code)}</span>{' '}
        {canChange && (
          <button type="button" className="btn small" onClick={() => setOpen((v) => !v)} data-testid={`${testId}-toggle`}>
            Change marking
          </button>
        )}
      </p>
      {open && (
        <MarkingEditor
          value={value}
          ownTeam={account.team.code}
          testId={testId}
          onSave={(m) => {
            onChange(m);
            setOpen(false);
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </>
  );
}

/** The marking fields of an update: only when changed (re-sending one is a marking change the server may refuse). */
export const changedMarking = (item: Pick<HuntItemBase, 'tlp' | 'releasableTo'>, m: MarkingValue) =>
  item.tlp === m.tlp && [...item.releasableTo].sort().join() === [...m.releasableTo].sort().join() ? {} : { tlp: m.tlp, releasableTo: m.releasableTo };

/** A delete that asks once more in place (no browser dialog): "Delete" then "Delete <name>" or "Keep". */
export function DeleteButton({ what, onDelete, testId }: { what: string; onDelete: () => void | Promise<void>; testId: string }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="btn small danger" onClick={() => setAsking(true)} data-testid={testId}>
        Delete
      </button>
    );
  return (
    <span className="hunt-edit-actions" role="group" aria-label={`Delete ${what}?`}>
      <button
        type="button"
        className="btn small danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          void onDelete();
        }}
        data-testid={`${testId}-confirm`}
      >
        Delete {what}
      </button>
      <button type="button" className="btn small" onClick={() => setAsking(false)}>
        Keep
      </button>
    </span>
  );
}
