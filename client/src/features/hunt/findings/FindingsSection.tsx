/** The findings on a host, newest first, each opening to its description, links and samples. */
import { useMemo, useState } from 'react';
import type { HostView } from '@huntroom/shared';
import { useWorkspace } from '../../workspaces/context.js';
import { canWrite } from '../common.js';
import { useHuntList } from '../useHuntBoard.js';
import { FindingForm } from './FindingForm.js';
import { FindingItem } from './FindingItem.js';

export function FindingsSection({ host }: { host: HostView }) {
  const ws = useWorkspace();
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string>();
  const readOnly = !canWrite(ws.role);
  const all = useHuntList('finding');
  const findings = useMemo(() => all.filter((f) => f.hostId === host.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt)), [all, host.id]);

  return (
    <section className="findings" data-testid="findings">
      <div className="side-head">
        <h3>Findings ({findings.length})</h3>
        {!readOnly && (
          <button className="btn small" onClick={() => setAdding((a) => !a)} data-testid="finding-add">
            {adding ? 'Cancel' : 'Add finding'}
          </button>
        )}
      </div>
      {adding && (
        <FindingForm
          host={host}
          onDone={(f) => {
            setAdding(false);
            setOpen(f.id);
          }}
        />
      )}
      <ul className="finding-list">
        {findings.map((f) => (
          <FindingItem key={f.id} finding={f} host={host} open={open === f.id} onToggle={() => setOpen(open === f.id ? undefined : f.id)} />
        ))}
      </ul>
    </section>
  );
}
