/**
 * Create or edit a network in scope: name, the partner organisation owning it, the team hunting it,
 * the period, rules-of-engagement notes and its marking (the app's marking editor; a change of an
 * existing network's marking may take it, and what is on it, from teams that saw it).
 */
import { useState, type FormEvent } from 'react';
import type { NetworkView, TlpLevel } from '@huntroom/shared';
import { ErrorBanner, Field, fieldErrors } from '../../../components/forms.js';
import { MarkingEditor, describeMarking, type MarkingValue } from '../../../components/MarkingEditor.js';
import { TlpBadge } from '../../../components/badges.js';
import { useAccount } from '../../../lib/session.js';
import { fromLocalInput, toLocalInput, useCommand, useTeams } from '../common.js';
import { useHunt } from '../useHuntBoard.js';

interface Props {
  network?: NetworkView;
  defaultTlp: TlpLevel;
  onDone: (message: string) => void;
  onCancel: () => void;
}

export function NetworkForm({ network, defaultTlp, onDone, onCancel }: Props) {
  const board = useHunt();
  const account = useAccount();
  const teams = useTeams();
  const { run, error } = useCommand(board.command);
  const [name, setName] = useState(network?.name ?? '');
  const [partner, setPartner] = useState(network?.partner ?? '');
  const [huntingTeam, setHuntingTeam] = useState(network?.huntingTeam?.code ?? account.team.code);
  const [from, setFrom] = useState(toLocalInput(network?.periodFrom));
  const [to, setTo] = useState(toLocalInput(network?.periodTo));
  const [roe, setRoe] = useState(network?.rulesOfEngagement ?? '');
  const [marking, setMarking] = useState<MarkingValue>({ tlp: network?.tlp ?? defaultTlp, releasableTo: network?.releasableTo ?? [] });
  const [editingMarking, setEditingMarking] = useState(false);
  const errs = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      name,
      partner,
      huntingTeam: huntingTeam || (network ? null : undefined),
      periodFrom: fromLocalInput(from),
      periodTo: fromLocalInput(to),
      rulesOfEngagement: roe,
      // An edit sends the marking only when it changed: re-sending it would be a marking change,
      // which only the owning team (or an owner) may make.
      ...(network && network.tlp === marking.tlp && network.releasableTo.join() === marking.releasableTo.join() ? {} : { tlp: marking.tlp, releasableTo: marking.releasableTo }),
    };
    const ok = network ? await run('network:update', { id: network.id, ...body }) : await run('network:create', body);
    if (ok) onDone(network ? `Saved ${name}.` : `Added network ${name}.`);
  }

  return (
    <div className="card hunt-form" data-testid="network-form">
      <form onSubmit={(e) => void submit(e)} className="form">
        <h2>{network ? `Edit ${network.name}` : 'New network'}</h2>
        <ErrorBanner error={error} />
        <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errs.name} required data-testid="network-name" />
        <Field label="Partner organisation" value={partner} onChange={(e) => setPartner(e.target.value)} error={errs.partner} data-testid="network-partner" />
        <div className="field">
          <label htmlFor="network-team">Hunting team</label>
          <select id="network-team" value={huntingTeam} onChange={(e) => setHuntingTeam(e.target.value)} data-testid="network-team">
            <option value="">None yet</option>
            {teams.list.map((t) => (
              <option key={t.code} value={t.code}>
                {t.code} · {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="hunt-period">
          <Field label="From" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} error={errs.periodFrom} />
          <Field label="To" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} error={errs.periodTo} />
        </div>
        <div className="field">
          <label htmlFor="network-roe">Rules of engagement</label>
          <textarea id="network-roe" rows={3} value={roe} onChange={(e) => setRoe(e.target.value)} data-testid="network-roe" />
        </div>
        <p className="hunt-marking-line">
          <TlpBadge level={marking.tlp} /> <span className="muted small">{describeMarking(marking, account.team.code)}</span>{' '}
          <button type="button" className="btn small" onClick={() => setEditingMarking((v) => !v)} data-testid="network-marking-toggle">
            Change marking
          </button>
        </p>
        <div className="row-actions">
          <button className="btn primary" type="submit" data-testid="network-save">
            {network ? 'Save' : 'Add network'}
          </button>
          <button className="btn" type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
      {editingMarking && (
        <MarkingEditor
          value={marking}
          ownTeam={account.team.code}
          testId="network-marking"
          onSave={(m) => {
            setMarking(m);
            setEditingMarking(false);
          }}
          onCancel={() => setEditingMarking(false)}
        />
      )}
    </div>
  );
}
