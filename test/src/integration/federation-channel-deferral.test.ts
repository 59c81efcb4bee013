/**
 * "Not now" on a link's ordered channel (server/src/federation/deferral.ts, docs/federation.md section
 * 4, "Deferred messages"), between two real instances: a message its handler defers is applied later,
 * once, and nothing overtakes it; a sender that ignores the send window and piles more than the
 * receive limit onto a receiver holding a deferred message has its session closed (4400), and
 * everything still arrives, once and in order, after it reconnects.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Db } from '../../../server/dist/storage/db.js';
import type { Huntroom } from '@huntroom/server';
import { eventually } from '../helpers/foundation.js';
import { nationPair } from '../helpers/nationPair.js';

const { FederationDeferral } = await import('../../../server/dist/federation/deferral.js');
const { RECEIVE_LIMIT } = await import('../../../server/dist/federation/deferral.js');

/** Each application of `test.n` writes one audit row, so "applied once, in order" is a row list. */
const appliedOn = async (node: Huntroom): Promise<number[]> =>
  (await node.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'test.n' ORDER BY id")).map((r) => (JSON.parse(r.detail) as { n: number }).n);

async function send(from: Huntroom, bodies: { n: number; later?: number }[]): Promise<void> {
  const bus = from.ctx.federation!;
  await from.ctx.db.transaction(async (tx) => {
    for (const body of bodies) await bus.enqueue(tx, 'lv-cert', 'test.n', body);
  });
  bus.flush('lv-cert');
}

describe('federation channel: deferred messages', () => {
  /** How often each message was deferred so far; `later`: how often it must be. */
  const tries = new Map<number, number>();
  /** While true, a message with `later: -1` is deferred again and again. */
  let holding = true;

  const nations = nationPair({
    beforeLink: ({ lv }) =>
      lv.ctx.federation!.onMessage('test.n', async (tx: Db, _link, body) => {
        const { n, later = 0 } = body as { n: number; later?: number };
        const t = tries.get(n) ?? 0;
        if ((later === -1 && holding) || t < later) {
          tries.set(n, t + 1);
          throw new FederationDeferral(`test.n ${n}: not now`, 50);
        }
        await tx.run("INSERT INTO audit_log (at, workspace_id, actor_id, team_id, action, detail, about) VALUES (?, NULL, NULL, NULL, 'test.n', ?, NULL)", [
          new Date().toISOString(),
          JSON.stringify({ n }),
        ]);
      }),
  });

  it('applies a deferred message later, once, and lets nothing overtake it', async () => {
    const { us, lv } = nations;
    const before = lv.ctx.federation!.deferrals.get('us-cert') ?? 0;
    await send(us, [{ n: 1, later: 3 }, { n: 2 }, { n: 3, later: 2 }, { n: 4 }]);
    await eventually(async () => expect(await appliedOn(lv)).toEqual([1, 2, 3, 4]), 20_000);
    expect((lv.ctx.federation!.deferrals.get('us-cert') ?? 0) - before).toBe(5);
    expect(await lv.ctx.db.all("SELECT detail FROM audit_log WHERE action = 'federation.refused'")).toEqual([]);
    await eventually(async () => expect(await us.ctx.db.all("SELECT seq FROM federation_outbox WHERE link = 'lv-cert'")).toEqual([]));
  });

  it('closes the session of a sender that ignores the window while a message waits; all arrives after', async () => {
    const { us, lv } = nations;
    // A hostile us-cert: its session's send window never fills (the channel's internals, reached on purpose).
    const live = (us.ctx.federation as unknown as { live: Map<string, { ws: WebSocket; window: unknown }> }).live.get('lv-cert')!;
    live.window = { full: () => false, sent: () => undefined, acked: () => undefined };
    let closed: { code: number; reason: string } | undefined;
    live.ws.once('close', (code: number, reason: Buffer) => (closed = { code, reason: reason.toString() }));

    const flood = Array.from({ length: RECEIVE_LIMIT.messages + 1 }, (_, i) => ({ n: 100 + i }));
    await send(us, [{ n: 99, later: -1 }, ...flood]);
    await eventually(() => expect(closed).toEqual({ code: 4400, reason: 'too many messages waiting to be applied' }), 60_000);

    // The sender reconnects (a fresh window); once the held message may pass, everything arrives once.
    holding = false;
    const expected = [1, 2, 3, 4, 99, ...flood.map((b) => b.n)];
    await eventually(async () => expect(await appliedOn(lv)).toEqual(expected), 120_000);
  }, 180_000);
});
