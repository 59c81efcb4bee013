/**
 * What rides a federation link (issue 20, server/src/federation/channel.ts), between two real instances:
 * the teams exchange, ordered messages applied exactly once across suspensions and a restart of the
 * receiver, refusals that neither wedge the link nor repeat, and requests with answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHuntroom, type Huntroom } from '@huntroom/server';
import type { Db } from '../../../server/dist/storage/db.js';
import { GENEROUS_LIMITS } from '../helpers/server.js';
import { eventually } from '../helpers/foundation.js';
import { cli, FAST_LINKS, linkNations, startNation, teamIdOn, type Nation } from '../helpers/federation.js';

const { LinkDown, FederationRefusal } = await import('../../../server/dist/federation/channel.js');

/** The test message: each application writes one audit row, so "applied once" is a row count. */
function receiveNotes(node: Huntroom): void {
  node.ctx.federation!.onMessage('test.note', async (tx: Db, link, body) => {
    const n = (body as { n?: unknown }).n;
    if (typeof n !== 'number') throw new FederationRefusal('test.note needs a number');
    await tx.run('INSERT INTO audit_log (at, workspace_id, actor_id, team_id, action, detail, about) VALUES (?, NULL, NULL, NULL, ?, ?, NULL)', [
      new Date().toISOString(),
      'test.note',
      JSON.stringify({ n, from: link.name }),
    ]);
  });
}

const notesOn = async (node: Huntroom): Promise<number[]> =>
  (await node.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'test.note' ORDER BY id")).map((r) => (JSON.parse(r.detail) as { n: number }).n);

async function send(from: Huntroom, link: string, type: string, bodies: unknown[]): Promise<void> {
  const bus = from.ctx.federation!;
  await from.ctx.db.transaction(async (tx) => {
    for (const body of bodies) await bus.enqueue(tx, link, type, body);
  });
  bus.flush(link);
}

describe('federation channel between two instances', () => {
  let us: Nation;
  let lv: Nation;
  let lvNode: Huntroom;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice']), startNation('lv-cert', 'LV', ['liga'])]);
    lvNode = lv;
    receiveNotes(lv);
    receiveNotes(us);
    await linkNations(us, lv);
  }, 60_000);
  afterAll(async () => {
    await us?.stop();
    if (lvNode !== lv) await lvNode.close();
    await lv?.stop();
  });

  it('records the peer teams with their home ids, bound to the link', async () => {
    const lvTeamOnUs = await us.ctx.db.get<{ id: string; home_link: string | null }>("SELECT id, home_link FROM teams WHERE code = 'LV'");
    expect(lvTeamOnUs).toEqual({ id: await teamIdOn(lv, 'LV'), home_link: 'lv-cert' });
    expect((await lv.ctx.db.get<{ home_link: string | null }>("SELECT home_link FROM teams WHERE code = 'LV'"))?.home_link).toBeNull();
  });

  it('delivers messages in order, once, including those written while the link was suspended', async () => {
    await send(us, 'lv-cert', 'test.note', [{ n: 1 }, { n: 2 }]);
    await eventually(async () => expect(await notesOn(lv)).toEqual([1, 2]));

    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false));
    await send(us, 'lv-cert', 'test.note', [{ n: 3 }, { n: 4 }, { n: 5 }]);
    expect(await notesOn(lv)).toEqual([1, 2]);
    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(async () => expect(await notesOn(lv)).toEqual([1, 2, 3, 4, 5]), 20_000);
    // Acknowledged messages leave the outbox.
    await eventually(async () => expect(await us.ctx.db.all("SELECT seq FROM federation_outbox WHERE link = 'lv-cert'")).toEqual([]));
  });

  it('refuses a message it cannot apply, audits it, counts it as applied and goes on with the next', async () => {
    await send(us, 'lv-cert', 'test.note', [{ n: 'not a number' }, { n: 6 }]);
    await send(us, 'lv-cert', 'test.unknown', [{}]);
    await send(us, 'lv-cert', 'test.note', [{ n: 7 }]);
    await eventually(async () => expect(await notesOn(lv)).toEqual([1, 2, 3, 4, 5, 6, 7]));
    const refusals = await lv.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused' ORDER BY id");
    expect(refusals.map((r) => (JSON.parse(r.detail) as { reason: string }).reason)).toEqual(['test.note needs a number', 'unknown message type test.unknown']);
    await eventually(async () => expect(await us.ctx.db.all("SELECT seq FROM federation_outbox WHERE link = 'lv-cert'")).toEqual([]));
  });

  it('answers requests, refuses unknown ones with a sentence, and says when the link is down', async () => {
    lv.ctx.federation!.onRequest('test.echo', (link, params) => Promise.resolve({ from: link.name, params }));
    await expect(us.ctx.federation!.request('lv-cert', 'test.echo', { x: 1 })).resolves.toEqual({ from: 'us-cert', params: { x: 1 } });
    await expect(us.ctx.federation!.request('lv-cert', 'test.nothing', {})).rejects.toThrow('unknown request test.nothing');
    await expect(us.ctx.federation!.request('nowhere', 'test.echo', {})).rejects.toBeInstanceOf(LinkDown);
  });

  it('applies nothing twice when the receiver is killed and restarted on the same data', async () => {
    const port = lv.port;
    await lvNode.close();
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false));
    await send(us, 'lv-cert', 'test.note', [{ n: 8 }, { n: 9 }]);
    lvNode = await startHuntroom({
      ...FAST_LINKS,
      env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: lv.dataDir, LOG_LEVEL: 'silent', HUNTROOM_DEMO: 'off', ...GENEROUS_LIMITS },
    });
    receiveNotes(lvNode);
    await eventually(async () => expect(await notesOn(lvNode)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]), 20_000);
    // Both directions work after the restart, and the applied counter survived it.
    await send(lvNode, 'us-cert', 'test.note', [{ n: 100 }]);
    await eventually(async () => expect(await notesOn(us)).toEqual([100]));
    expect((await lvNode.ctx.db.get<{ applied_seq: number }>("SELECT applied_seq FROM federation_links WHERE name = 'us-cert'"))?.applied_seq).toBe(11);
  });

  it("prepares a message before its transaction: the node's own writes go on meanwhile, and a preparer's refusal is audited", async () => {
    const seen: string[] = [];
    lvNode.ctx.federation!.onMessage(
      'test.prepared',
      (_tx: Db, _link, body, prepared) => {
        seen.push(`applied ${(body as { n: number }).n} with ${String(prepared)}`);
        return Promise.resolve();
      },
      async (_link, body) => {
        const { n, refuse } = body as { n: number; refuse?: boolean };
        if (refuse) throw new FederationRefusal(`test.prepared ${n} refused before its transaction`);
        // A write of the node's own while the message is prepared (a large update's trial takes that
        // long): inside the message's transaction it would wait for that transaction, which waits for it.
        await lvNode.ctx.db.transaction((tx) =>
          tx.run("INSERT INTO audit_log (at, workspace_id, actor_id, team_id, action, detail, about) VALUES (?, NULL, NULL, NULL, 'test.during-prepare', '{}', NULL)", [
            new Date().toISOString(),
          ]),
        );
        seen.push(`prepared ${n}`);
        return `result ${n}`;
      },
    );
    await send(us, 'lv-cert', 'test.prepared', [{ n: 1 }, { n: 2, refuse: true }, { n: 3 }]);
    await eventually(() => expect(seen).toEqual(['prepared 1', 'applied 1 with result 1', 'prepared 3', 'applied 3 with result 3']), 20_000);
    const refusals = await lvNode.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused' ORDER BY id");
    expect(refusals.map((r) => (JSON.parse(r.detail) as { reason: string }).reason)).toContain('test.prepared 2 refused before its transaction');
  });
});
