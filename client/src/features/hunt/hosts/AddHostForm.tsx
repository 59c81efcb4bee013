/** Add one host by hand; the server merges it into a host of the network with the same name or address. */
import { useState, type FormEvent } from 'react';
import { HOST_ROLES, LEVELS, type CreateHostResult, type HostRole, type Level, type NetworkView } from '@huntroom/shared';
import { ErrorBanner, Field, fieldErrors } from '../../../components/forms.js';
import { useCommand } from '../common.js';
import { useHunt } from '../useHuntBoard.js';

export function AddHostForm({ network, onDone }: { network: NetworkView; onDone: (message: string) => void }) {
  const board = useHunt();
  const { run, error } = useCommand(board.command);
  const [hostname, setHostname] = useState('');
  const [addresses, setAddresses] = useState('');
  const [os, setOs] = useState('');
  const [role, setRole] = useState<HostRole>('workstation');
  const [criticality, setCriticality] = useState<Level>('medium');
  const errs = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const list = addresses.split(/[\s,;]+/).filter(Boolean);
    const r = await run<CreateHostResult>('host:create', { networkId: network.id, hostname: hostname || undefined, addresses: list, os: os || undefined, role, criticality });
    if (!r) return;
    const name = hostname || list[0];
    onDone(
      r.outcome === 'created'
        ? `Added ${name}.`
        : r.outcome === 'merged'
          ? `${name} was already in ${network.name}: merged into it.`
          : `A host with that name or address is already in ${network.name}, marked so your team does not see it.`,
    );
    setHostname('');
    setAddresses('');
    setOs('');
  }

  return (
    <form className="card inline-form hunt-form" onSubmit={(e) => void submit(e)} data-testid="host-form">
      <ErrorBanner error={error} />
      <Field label="Hostname" value={hostname} onChange={(e) => setHostname(e.target.value)} error={errs.hostname} data-testid="host-hostname" />
      <Field
        label="Addresses"
        hint="IPv4, IPv6 or MAC, separated by spaces or commas"
        value={addresses}
        onChange={(e) => setAddresses(e.target.value)}
        error={errs.addresses}
        data-testid="host-addresses"
      />
      <Field label="OS" value={os} onChange={(e) => setOs(e.target.value)} error={errs.os} />
      <div className="field">
        <label htmlFor="host-role">Role</label>
        <select id="host-role" value={role} onChange={(e) => setRole(e.target.value as HostRole)}>
          {HOST_ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="host-crit">Criticality</label>
        <select id="host-crit" value={criticality} onChange={(e) => setCriticality(e.target.value as Level)}>
          {LEVELS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </div>
      <button className="btn primary" type="submit" data-testid="host-submit">
        Add
      </button>
    </form>
  );
}
