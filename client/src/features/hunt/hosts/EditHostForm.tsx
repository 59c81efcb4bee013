/**
 * Edit a host: every field but its state (the state has its own control, held to the state rules),
 * and its marking when the reader's team owns it. Only what changed is sent; a refusal (a name or
 * address another host of the network has, a marking wider than the network's) shows the server's
 * sentence and changes nothing.
 */
import { useState, type FormEvent } from 'react';
import { HOST_ROLES, LEVELS, type HostRole, type HostView, type Level } from '@huntroom/shared';
import { ErrorBanner, Field, fieldErrors } from '../../../components/forms.js';
import type { MarkingValue } from '../../../components/MarkingEditor.js';
import { useCommand } from '../common.js';
import { changedMarking, MarkingLine, useItemRights } from '../rights.js';
import { useHunt } from '../useHuntBoard.js';

const same = (a: readonly string[], b: readonly string[]) => a.join() === b.join();

export function EditHostForm({ host, onDone }: { host: HostView; onDone: () => void }) {
  const board = useHunt();
  const rights = useItemRights(host);
  const { run, error } = useCommand(board.command);
  const [hostname, setHostname] = useState(host.hostname);
  const [addresses, setAddresses] = useState(host.addresses.join(', '));
  const [os, setOs] = useState(host.os);
  const [role, setRole] = useState<HostRole>(host.role);
  const [criticality, setCriticality] = useState<Level>(host.criticality);
  const [notes, setNotes] = useState(host.notes);
  const [marking, setMarking] = useState<MarkingValue>({ tlp: host.tlp, releasableTo: host.releasableTo });
  const errs = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const list = addresses.split(/[\s,;]+/).filter(Boolean);
    const changes = {
      ...(hostname.trim() !== host.hostname ? { hostname: hostname.trim() } : {}),
      ...(!same(list, host.addresses) ? { addresses: list } : {}),
      ...(os !== host.os ? { os } : {}),
      ...(role !== host.role ? { role } : {}),
      ...(criticality !== host.criticality ? { criticality } : {}),
      ...(notes !== host.notes ? { notes } : {}),
      ...changedMarking(host, marking),
    };
    if (!Object.keys(changes).length) return onDone();
    if (await run('host:update', { id: host.id, ...changes })) onDone();
  }

  return (
    <div className="hunt-edit" data-testid="host-edit-form">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <ErrorBanner error={error} />
        <Field label="Hostname" value={hostname} onChange={(e) => setHostname(e.target.value)} error={errs.hostname} data-testid="host-edit-hostname" />
        <Field
          label="Addresses"
          hint="IPv4, IPv6 or MAC, separated by spaces or commas"
          value={addresses}
          onChange={(e) => setAddresses(e.target.value)}
          error={errs.addresses}
          data-testid="host-edit-addresses"
        />
        <Field label="OS" value={os} onChange={(e) => setOs(e.target.value)} error={errs.os} data-testid="host-edit-os" />
        <div className="hunt-period">
          <div className="field">
            <label htmlFor="host-edit-role">Role</label>
            <select id="host-edit-role" value={role} onChange={(e) => setRole(e.target.value as HostRole)} data-testid="host-edit-role">
              {HOST_ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="host-edit-crit">Criticality</label>
            <select id="host-edit-crit" value={criticality} onChange={(e) => setCriticality(e.target.value as Level)} data-testid="host-edit-criticality">
              {LEVELS.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor="host-edit-notes">Notes</label>
          <textarea id="host-edit-notes" rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} data-testid="host-edit-notes" />
        </div>
        <div className="hunt-edit-actions">
          <button className="btn primary small" type="submit" data-testid="host-edit-save">
            Save
          </button>
          <button className="btn small" type="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
      <MarkingLine value={marking} onChange={setMarking} canChange={rights.remark} testId="host-edit-marking" />
    </div>
  );
}
