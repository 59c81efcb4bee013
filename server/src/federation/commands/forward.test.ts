/**
 * The replica's forwarder inside `execute` (real SQLite, real command path): which commands leave, what
 * the home is asked, and how each kind of answer (or none) becomes the caller's ack. The peer is played
 * by a scripted bus: it is the boundary, and what a hostile or broken peer answers is the point.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { CommandAck } from '@huntroom/shared';
import { openKit, type Kit } from '../../records/testkit.js';
import { commandForwarders, execute, type RecordContext } from '../../records/command.js';
import { createIndicator } from '../../indicators/service.js';
import { updateIndicator } from '../../indicators/changes.js';
import { bulkUpdateIndicators } from '../../indicators/bulk.js';
import { FederationRefusal, LinkDown, type FederationBus } from '../channel.js';
import { makeForwarder, type Asker } from './forward.js';

class ScriptedPeer implements Asker {
  up = true;
  asked: { link: string; method: string; params: unknown }[] = [];
  answer: () => Promise<unknown> = () => Promise.resolve({ ok: true, seq: 41, data: { from: 'home' } });
  isUp(): boolean {
    return this.up;
  }
  request(link: string, method: string, params: unknown): Promise<unknown> {
    this.asked.push({ link, method, params });
    return this.answer();
  }
}

const backends = ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgres' as const] : [])] as const;
if (!process.env.TEST_DATABASE_URL) console.warn('federation commands: TEST_DATABASE_URL is not set, so the PostgreSQL run is SKIPPED (SQLite only)');

let kit: Kit;
let peer: ScriptedPeer;
let ctx: RecordContext;
let lvItem: string;
let usItem: string;

const make = async (who: 'alice' | 'liga', value: string): Promise<string> => {
  const ack = await execute(kit.ctx, kit.accounts[who], createIndicator, { id: randomUUID(), payload: { workspaceId: kit.workspaceId, type: 'domain', value, tlp: 'GREEN' } });
  if (!ack.ok) throw new Error(JSON.stringify(ack));
  return (ack.data as { indicator: { id: string } }).indicator.id;
};
const update = (who: 'alice' | 'ben' | 'liga' | 'olga', id: string, confidence: number, commandId = randomUUID()): Promise<CommandAck<unknown>> =>
  execute(ctx, kit.accounts[who], updateIndicator, { id: commandId, payload: { workspaceId: kit.workspaceId, id, confidence } });
const forwarded = async () =>
  (await kit.db.all<{ actor_id: string; detail: string; about: string }>("SELECT actor_id, detail, about FROM audit_log WHERE action = 'federation.forwarded' ORDER BY id")).map(
    (r) => ({
      actor_id: r.actor_id,
      detail: JSON.parse(r.detail) as unknown,
      about: JSON.parse(r.about) as unknown,
    }),
  );
const confidence = async (id: string): Promise<number> => Number((await kit.db.get<{ confidence: number }>('SELECT confidence FROM indicators WHERE id = ?', [id]))?.confidence);

describe.each(backends)('on %s', (backend) => {
  beforeEach(async () => {
    kit = await openKit(backend);
    lvItem = await make('liga', 'lv-made.example');
    usItem = await make('alice', 'us-made.example');
    // From here on LV is a foreign team of the link lv-cert, and the workspace is lv-cert's, replicated here.
    await kit.db.run("UPDATE teams SET home_link = 'lv-cert' WHERE code = 'LV'");
    await kit.db.run(
      `INSERT INTO federation_shares (offer_id, workspace_id, link, home, role, state, workspace_name, peer_teams, offer_detail, created_at)
     VALUES ('offer-1', ?, 'lv-cert', 'peer', 'hunter', 'active', 'hunt', '[]', '{}', 'now')`,
      [kit.workspaceId],
    );
    peer = new ScriptedPeer();
    const bus = peer as unknown as FederationBus;
    commandForwarders.set(bus, makeForwarder(kit.db, peer));
    ctx = { ...kit.ctx, federation: bus };
  });
  afterEach(async () => {
    await kit.close();
  });

  describe('forwarding a command to the item’s home', () => {
    it('asks the home with the actor, type, command id and payload, and answers with this log’s seq', async () => {
      const head = Number((await kit.db.get<{ seq: number }>('SELECT seq FROM workspace_seq WHERE workspace_id = ?', [kit.workspaceId]))?.seq);
      const commandId = randomUUID();
      const ack = await update('alice', lvItem, 80, commandId);
      expect(ack).toEqual({ ok: true, seq: head, data: { from: 'home' } });
      expect(peer.asked).toEqual([
        {
          link: 'lv-cert',
          method: 'command',
          params: {
            workspaceId: kit.workspaceId,
            actorId: kit.accounts.alice.id,
            type: 'indicator:update',
            id: commandId,
            payload: { workspaceId: kit.workspaceId, id: lvItem, confidence: 80 },
          },
        },
      ]);
      // The replica is not changed by the command, and keeps no ack of it (a retry asks the home again).
      expect(await confidence(lvItem)).not.toBe(80);
      expect(await kit.db.get('SELECT 1 AS x FROM command_log WHERE command_id = ?', [commandId])).toBeUndefined();
      // Recorded on this side, with the item as the row's subject (shown only to those who may see it).
      expect(await forwarded()).toEqual([
        {
          actor_id: kit.accounts.alice.id,
          detail: { link: 'lv-cert', type: 'indicator:update', commandId, ids: [lvItem], outcome: 'ok' },
          about: [{ kind: 'indicator', id: lvItem, marking: { tlp: 'GREEN', releasableTo: [] }, ownerTeamId: kit.accounts.liga.team.id }],
        },
      ]);
    });

    it('runs a change to an item homed here here, and a create, without asking', async () => {
      expect((await update('alice', usItem, 70)).ok).toBe(true);
      expect(await confidence(usItem)).toBe(70);
      await make('alice', 'another.example');
      expect(peer.asked).toEqual([]);
    });

    it('passes the home’s refusal through as it is', async () => {
      peer.answer = () => Promise.resolve({ ok: false, error: { code: 'not_found', message: 'indicator not found' } });
      expect(await update('alice', lvItem, 80)).toEqual({ ok: false, error: { code: 'not_found', message: 'indicator not found' } });
    });

    it('says the home is not reachable when the link is down or the request is lost, and changes nothing', async () => {
      const sentence = { ok: false, error: { code: 'unavailable', message: 'the home of this item, lv-cert, is not reachable; try again when the link is back' } };
      peer.up = false;
      expect(await update('alice', lvItem, 80)).toEqual(sentence);
      expect(peer.asked).toHaveLength(0);
      expect(await forwarded()).toEqual([]);
      peer.up = true;
      peer.answer = () => Promise.reject(new LinkDown('lv-cert did not answer command within 15000 ms'));
      expect(await update('alice', lvItem, 80)).toEqual(sentence);
      expect(await confidence(lvItem)).not.toBe(80);
      expect((await forwarded()).map((r) => (r.detail as { outcome: string }).outcome)).toEqual(['no answer']);
    });

    it('turns a refused request into forbidden, and an answer of the wrong shape into a final error', async () => {
      peer.answer = () => Promise.reject(new FederationRefusal('lv-cert named an actor that is not one of its users here'));
      expect(await update('alice', lvItem, 80)).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'lv-cert refused the command: lv-cert named an actor that is not one of its users here' },
      });
      for (const bad of [{ ok: true }, { ok: false, error: { code: 'evil', message: 'x' } }, 'yes', null, { ok: true, seq: -1 }]) {
        peer.answer = () => Promise.resolve(bad);
        const ack = await update('alice', lvItem, 80);
        expect(ack, JSON.stringify(bad)).toEqual({ ok: false, error: { code: 'conflict', message: 'lv-cert answered the command in a form this instance does not accept' } });
      }
    });

    it('refuses locally first: an observer here never reaches the home', async () => {
      const ack = await update('olga', lvItem, 80);
      expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(peer.asked).toEqual([]);
    });

    it('refuses a bulk naming items of two homes, whole', async () => {
      const ack = await execute(ctx, kit.accounts.alice, bulkUpdateIndicators, {
        id: randomUUID(),
        payload: { workspaceId: kit.workspaceId, ids: [lvItem, usItem], addTags: ['x'] },
      });
      expect(ack).toEqual({
        ok: false,
        error: { code: 'bad_request', message: 'these items are homed on different instances (here, lv-cert): change the items of each home separately' },
      });
      expect(peer.asked).toEqual([]);
      expect((await kit.db.get<{ tags: string }>('SELECT tags FROM indicators WHERE id = ?', [usItem]))?.tags).not.toContain('"x"');
    });

    it('does not look further when the workspace is not shared', async () => {
      await kit.db.run("UPDATE federation_shares SET state = 'withdrawn'");
      expect((await update('alice', lvItem, 80)).ok).toBe(true);
      expect(await confidence(lvItem)).toBe(80);
      expect(peer.asked).toEqual([]);
    });
  });
});
