/**
 * Coverage of one network: who examined which host and how it stands, readable at a glance. A legend
 * of states, a table of counts (team x state), and every host as a tile filled with its state's colour
 * and edged in the examining team's, grouped by state or by team. Tiles wrap, so 390 px works too.
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { HOST_STATES, type HostState, type HostView } from '@huntroom/shared';
import { STATE_STYLE, colorOf, useTeams } from '../common.js';
import { useHunt } from '../useHuntBoard.js';
import { coverageOf, groupHosts, NOBODY } from './coverage.js';
import { plural } from '../../../lib/plural.js';

export function CoverageGrid({ hosts }: { hosts: HostView[] }) {
  const board = useHunt();
  const teams = useTeams();
  const [by, setBy] = useState<'state' | 'team'>('state');
  const cov = useMemo(() => coverageOf(hosts), [hosts]);
  const groups = useMemo(() => groupHosts(hosts, by), [hosts, by]);
  const teamColor = (code: string) => (code === NOBODY ? '#c4cad4' : (teams.byCode.get(code)?.color ?? '#8a94a6'));

  return (
    <div className="coverage" data-testid="coverage">
      <ul className="coverage-legend" aria-label="States">
        {HOST_STATES.map((s) => (
          <li key={s} data-testid={`coverage-state-${s}`}>
            <span className="swatch" style={{ background: STATE_STYLE[s].color }} aria-hidden /> {STATE_STYLE[s].label} <strong>{cov.byState[s]}</strong>
          </li>
        ))}
        <li className="muted">{plural(cov.total, 'host')}</li>
      </ul>
      <div className="coverage-table-wrap">
        <table className="table coverage-table" data-testid="coverage-table">
          <caption className="sr-only">Hosts by examining team and state</caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              {HOST_STATES.map((s) => (
                <th key={s} scope="col" title={STATE_STYLE[s].label}>
                  <span className="swatch" style={{ background: STATE_STYLE[s].color }} aria-hidden /> <span className="coverage-th">{STATE_STYLE[s].label}</span>
                </th>
              ))}
              <th scope="col">All</th>
            </tr>
          </thead>
          <tbody>
            {cov.teams.map((t) => {
              const row = cov.counts[t]!;
              return (
                <tr key={t} data-testid={`coverage-row-${t === NOBODY ? 'nobody' : t}`}>
                  <th scope="row">
                    <span className="team-dot" style={{ background: teamColor(t) }} aria-hidden /> {t === NOBODY ? 'Nobody yet' : t}
                  </th>
                  {HOST_STATES.map((s: HostState) => (
                    <td key={s} data-state={s} className={row[s] ? '' : 'muted'}>
                      {row[s]}
                    </td>
                  ))}
                  <td>
                    <strong>{Object.values(row).reduce((a, b) => a + b, 0)}</strong>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="seg" role="group" aria-label="Group tiles by">
        <button className={`btn small ${by === 'state' ? 'on' : ''}`} aria-pressed={by === 'state'} onClick={() => setBy('state')}>
          By state
        </button>
        <button className={`btn small ${by === 'team' ? 'on' : ''}`} aria-pressed={by === 'team'} onClick={() => setBy('team')} data-testid="coverage-by-team">
          By team
        </button>
      </div>
      {groups.map((g) => (
        <section key={g.key} className="coverage-group" data-testid={`coverage-group-${g.key}`}>
          <h3>
            <span className="swatch" style={{ background: by === 'state' ? STATE_STYLE[g.key as HostState].color : teamColor(g.key) }} aria-hidden />{' '}
            {by === 'state' ? STATE_STYLE[g.key as HostState].label : g.key === NOBODY ? 'Nobody yet' : g.key} <span className="muted">({g.hosts.length})</span>
          </h3>
          <ul className="tiles">
            {g.hosts.map((h) => {
              const name = h.hostname || h.addresses[0] || h.id;
              const hl = board.store.highlightOf(h.id);
              const edge = h.examinedBy ? colorOf(teams.byId, h.examinedBy.id) : '#c4cad4';
              return (
                <li key={h.id}>
                  <Link
                    to={`..?open=${h.id}`}
                    relative="path"
                    className={`tile ${hl ? 'flash' : ''}`}
                    style={{ background: STATE_STYLE[h.state].color, borderColor: hl ? colorOf(teams.byId, hl.teamId) : edge }}
                    title={`${name}: ${STATE_STYLE[h.state].label}${h.examinedBy ? `, examined by ${h.examinedBy.code}` : ''}`}
                    data-testid={`tile-${name}`}
                  >
                    <span className="tile-name">{name}</span>
                    <span className="tile-team" style={{ background: edge }}>
                      {h.examinedBy?.code ?? '·'}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
