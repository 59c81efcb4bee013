/** Apply at the replica on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MarkedItem } from '@huntroom/shared';
import { openKit, type Kit } from '../../records/testkit.js';
import { recordStore } from '../../records/store.js';
import type { Link } from '../store.js';
import { applyRecordsMessage } from './apply.js';
import { APPLIERS } from './index.js';
import type { WireEvent } from './wire.js';

const backends = ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgres' as const] : [])] as const;

describe.each(backends)('federation apply at the replica (%s)', (backend) => {
  let kit: Kit;
  let us: string;
  let lv: string;
  const link: Link = {
    name: 'us-cert',
    url: 'http://127.0.0.1:1',
    publicKey: 'k',
    teams: ['US'],
    state: 'active',
    createdAt: '',
    updatedAt: '',
    lastConnectedAt: null,
    lastError: null,
  };
  const actor = { id: 'us-user-0001', username: 'adam', displayName: 'Adam', teamId: '' };
  const item = (tlp: MarkedItem['marking']['tlp'], releasableTo: string[]): MarkedItem => ({ marking: { tlp, releasableTo }, ownerTeamId: us });
  const view = (id: string, tlp: string, confidence = 50) => ({
    id,
    workspaceId: kit.workspaceId,
    type: 'domain',
    value: `${id}.example`,
    originalValue: `${id}.example`,
    status: 'new',
    confidence,
    tlp,
    releasableTo: [],
    ownerTeam: { id: us, code: 'US' },
    tags: ['c2'],
    techniques: [],
    source: '',
    firstSeen: '2026-11-01T00:00:00.000Z',
    lastSeen: '2026-11-01T00:00:00.000Z',
    sightingCount: 0,
    createdBy: actor.id,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    updatedSeq: 7,
  });
  const wire = (type: string, recordId: string, audience: WireEvent['audience'], payload: unknown, row?: unknown): WireEvent => ({
    homeSeq: 7,
    type,
    recordId,
    at: '2026-11-01T00:00:00.000Z',
    actor: { ...actor, teamId: us },
    audience,
    payload,
    ...(row ? { row } : {}),
  });
  const apply = (events: WireEvent[]) => kit.db.transaction((tx) => applyRecordsMessage(tx, link, { workspaceId: kit.workspaceId, events }, APPLIERS));

  beforeEach(async () => {
    kit = await openKit(backend);
    us = kit.accounts.alice.team.id;
    lv = kit.accounts.liga.team.id;
    // US is the peer's team here; the workspace is shared with us-cert, its home.
    await kit.db.run("UPDATE teams SET home_link = 'us-cert' WHERE id = ?", [us]);
    await kit.db.run(
      `INSERT INTO federation_shares (offer_id, workspace_id, link, home, role, state, workspace_name, peer_teams, offer_detail, created_at)
       VALUES ('o1', ?, 'us-cert', 'peer', 'hunter', 'active', 'hunt', ?, '{}', '2026-11-29T00:00:00.000Z')`,
      [kit.workspaceId, JSON.stringify([lv])],
    );
  });
  afterEach(() => kit.close());

  it('writes an indicator, its sighting and comment with the home ids, in this log with its own seqs', async () => {
    const open = item('AMBER', [lv]);
    const head = await recordStore.head(kit.db, kit.workspaceId);
    const { loaded } = await apply([
      wire('indicator:created', 'i1', { item: open }, { indicator: view('i1', 'AMBER') }),
      wire(
        'indicator:sighted',
        'i1',
        { item: open },
        {
          indicatorId: 'i1',
          sighting: {
            id: 's1',
            indicatorId: 'i1',
            team: { id: us, code: 'US' },
            accountId: actor.id,
            seenAt: '2026-11-02T00:00:00.000Z',
            context: 'edr',
            note: '',
            createdAt: '2026-11-02T00:00:00.000Z',
          },
          sightingCount: 1,
          lastSeen: '2026-11-02T00:00:00.000Z',
        },
      ),
      wire(
        'indicator:commented',
        'i1',
        { item: item('GREEN', []), parent: open },
        {
          indicatorId: 'i1',
          comment: {
            id: 'c1',
            indicatorId: 'i1',
            team: { id: us, code: 'US' },
            accountId: actor.id,
            body: 'seen twice',
            tlp: 'GREEN',
            releasableTo: [],
            createdAt: '2026-11-02T00:00:00.000Z',
          },
        },
      ),
    ]);
    expect(loaded.map((l) => [l.event.seq, l.event.type, l.event.actor.username])).toEqual([
      [head + 1, 'indicator:created', 'adam@us-cert'],
      [head + 2, 'indicator:sighted', 'adam@us-cert'],
      [head + 3, 'indicator:commented', 'adam@us-cert'],
    ]);
    expect((loaded[0]!.event.payload as { indicator: { updatedSeq: number } }).indicator.updatedSeq).toBe(head + 1);
    const row = await kit.db.get<Record<string, unknown>>('SELECT * FROM indicators WHERE id = ?', ['i1']);
    expect(row).toMatchObject({ owner_team_id: us, tlp: 'AMBER', releasable_to: JSON.stringify([lv]), value: 'i1.example' });
    expect(Number(row!.sighting_count)).toBe(1);
    expect(Number(row!.comment_count)).toBe(1);
    expect(await kit.db.get('SELECT id, team_id FROM indicator_sightings WHERE id = ?', ['s1'])).toEqual({ id: 's1', team_id: us });
    expect(await kit.db.get('SELECT home_link FROM accounts WHERE id = ?', [actor.id])).toEqual({ home_link: 'us-cert' });
    const audited = await kit.db.all("SELECT id FROM audit_log WHERE action = 'federation.received'");
    expect(audited).toHaveLength(3);
  });

  it('removes the row on a revoke and hides its history behind the new marking', async () => {
    await apply([wire('indicator:created', 'i2', { item: item('GREEN', []) }, { indicator: view('i2', 'GREEN') })]);
    await apply([wire('indicator:revoked', 'i2', { item: item('GREEN', []), unless: item('RED', [us]) }, { kind: 'indicator', id: 'i2' })]);
    expect(await kit.db.get('SELECT id FROM indicators WHERE id = ?', ['i2'])).toBeUndefined();
    const history = await recordStore.forRecord(kit.db, kit.workspaceId, 'i2');
    expect(history.find((h) => h.event.type === 'indicator:created')?.audience.item.marking).toEqual({ tlp: 'RED', releasableTo: [us] });
  });

  it('writes a hunt row from the home, checked against its event', async () => {
    const net = {
      id: 'n1',
      workspace_id: kit.workspaceId,
      tlp: 'GREEN',
      releasable_to: '[]',
      owner_team_id: us,
      created_by: actor.id,
      created_at: '2026-11-01T00:00:00.000Z',
      updated_at: '2026-11-01T00:00:00.000Z',
      created_seq: 3,
      updated_seq: 3,
      name: 'Ministry LAN',
      partner: '',
      hunting_team_id: null,
      period_from: null,
      period_to: null,
      rules_of_engagement: '',
    };
    await apply([wire('network:created', 'n1', { item: item('GREEN', []) }, { network: { id: 'n1', updatedSeq: 3 } }, net)]);
    expect(await kit.db.get('SELECT name, owner_team_id FROM hunt_networks WHERE id = ?', ['n1'])).toEqual({ name: 'Ministry LAN', owner_team_id: us });
    // Its trail row names the item as its subject: shown only to teams that may see it.
    const trail = await kit.db.get<{ about: string }>("SELECT about FROM audit_log WHERE action = 'federation.received' ORDER BY id DESC LIMIT 1");
    expect(JSON.parse(trail!.about)).toEqual([{ kind: 'network', id: 'n1', marking: { tlp: 'GREEN', releasableTo: [] }, ownerTeamId: us }]);
    await expect(apply([wire('network:updated', 'n1', { item: item('GREEN', []) }, { network: {} }, { ...net, owner_team_id: lv })])).rejects.toThrow(/marking differs/);
    await expect(apply([wire('network:updated', 'n1', { item: item('GREEN', []) }, { network: {} }, { ...net, secret: 'x' })])).rejects.toThrow(/columns secret/);
  });

  it("refuses events about this instance's own items and items it may not see", async () => {
    const mine: MarkedItem = { marking: { tlp: 'GREEN', releasableTo: [] }, ownerTeamId: lv };
    await expect(apply([wire('indicator:created', 'x1', { item: mine }, { indicator: view('x1', 'GREEN') })])).rejects.toThrow(/not the home of/);
    await expect(apply([wire('indicator:created', 'x2', { item: item('RED', [us]) }, { indicator: view('x2', 'RED') })])).rejects.toThrow(/none of this instance's teams may see/);
    expect(await kit.db.all('SELECT id FROM indicators')).toEqual([]);
  });
});
