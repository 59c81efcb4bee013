/** The border at the home on a real database: which events cross which link, and nothing when unshared. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MarkedItem } from '@huntroom/shared';
import { openKit, type Kit } from '../../records/testkit.js';
import type { StoredEvent } from '../../records/store.js';
import { chunkForFrames, crossBorder, toWire, type Enqueue } from './border.js';
import { RECORDS_MESSAGE, type RecordsMessage } from './wire.js';

const backends = ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgres' as const] : [])] as const;

describe.each(backends)('federation border (%s)', (backend) => {
  let kit: Kit;
  let sent: { link: string; type: string; body: RecordsMessage }[];
  const enqueue: Enqueue = async (_tx, link, type, body) => {
    sent.push({ link, type, body: body as RecordsMessage });
    return sent.length;
  };
  let us: string;
  let lv: string;
  const item = (tlp: MarkedItem['marking']['tlp'], releasableTo: string[], ownerTeamId = us): MarkedItem => ({ marking: { tlp, releasableTo }, ownerTeamId });
  const ev = (recordId: string, audience: StoredEvent['audience'], type = 'indicator:created'): StoredEvent => ({
    workspaceId: kit.workspaceId,
    seq: 1,
    type,
    recordId,
    payload: { id: recordId },
    actorId: kit.accounts.alice.id,
    teamId: us,
    at: '2026-11-29T00:00:00.000Z',
    audience,
  });
  const cross = (events: StoredEvent[]) => crossBorder(kit.db, enqueue, kit.workspaceId, events, () => kit.accounts.alice);
  const share = (state: string) =>
    kit.db.run(
      `INSERT INTO federation_shares (offer_id, workspace_id, link, home, role, state, workspace_name, peer_teams, offer_detail, created_at)
       VALUES (?, ?, 'lv-cert', 'here', 'hunter', ?, 'hunt', ?, '{}', '2026-11-29T00:00:00.000Z')`,
      [`offer-${state}`, kit.workspaceId, state, JSON.stringify([lv])],
    );

  beforeEach(async () => {
    kit = await openKit(backend);
    sent = [];
    us = kit.accounts.alice.team.id;
    lv = kit.accounts.liga.team.id;
    // LV plays the peer's team here: bound to the link.
    await kit.db.run("UPDATE teams SET home_link = 'lv-cert' WHERE id = ?", [lv]);
  });
  afterEach(() => kit.close());

  it('writes nothing while the workspace is not shared over a link (or only offered)', async () => {
    expect(await cross([ev('a', { item: item('CLEAR', []) })])).toEqual([]);
    await share('offered');
    expect(await cross([ev('a', { item: item('CLEAR', []) })])).toEqual([]);
    expect(sent).toEqual([]);
  });

  it("sends what the link's teams may see of items homed here, one message, audited per crossing", async () => {
    await share('active');
    const events = [
      ev('open', { item: item('AMBER', []) }),
      ev('to-lv', { item: item('RED', [lv]) }),
      ev('us-only', { item: item('RED', [us]) }),
      ev('strict', { item: item('AMBER+STRICT', []) }),
      ev('ca-only', { item: item('AMBER', [kit.accounts.ben.team.id]) }),
      // A comment LV may not see on an indicator it may: stays.
      ev('open', { item: item('RED', [us]), parent: item('AMBER', []) }, 'indicator:commented'),
      // A revoke: LV saw it and no longer does.
      ev('narrowed', { item: item('GREEN', []), unless: item('RED', [us]) }, 'indicator:revoked'),
      // A replica's event (the item is LV's, homed at lv-cert): never relayed, though LV sees it.
      ev('replica', { item: item('GREEN', [], lv) }),
      // A kind that does not cross (probes: what a hunter ran on a host) stays home.
      ev('board', { item: item('GREEN', []) }, 'probe:made'),
    ];
    expect(await cross(events)).toEqual(['lv-cert']);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.type).toBe(RECORDS_MESSAGE);
    expect(sent[0]!.body.events.map((e) => `${e.type} ${e.recordId}`)).toEqual(['indicator:created open', 'indicator:created to-lv', 'indicator:revoked narrowed']);
    expect(sent[0]!.body.events[0]!.actor).toEqual({ id: kit.accounts.alice.id, username: 'alice', displayName: 'alice', teamId: us });
    const audited = await kit.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.sent' ORDER BY id");
    expect(audited.map((r) => JSON.parse(r.detail) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ link: 'lv-cert', linkSeq: 1, id: 'open', kind: 'indicator' }),
      expect.objectContaining({ id: 'to-lv' }),
      expect.objectContaining({ id: 'narrowed', type: 'indicator:revoked' }),
    ]);
  });

  it('names a remote actor by its name at home, and splits a large command under the frame budget', () => {
    const remote = { id: 'x1234567', username: 'liga@lv-cert', displayName: 'Liga', team: { id: lv } };
    expect(toWire(ev('a', { item: item('GREEN', []) }), remote).actor?.username).toBe('liga');
    const big = Array.from({ length: 50 }, (_, i) => toWire({ ...ev(`r${i}`, { item: item('GREEN', []) }), payload: { text: 'x'.repeat(1000) } }, null));
    const chunks = chunkForFrames(big, 10_000);
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks.flat()).toEqual(big);
    for (const c of chunks) expect(JSON.stringify(c).length).toBeLessThan(12_000);
  });
});
