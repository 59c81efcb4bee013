/** The outbox without a browser: ordering, replay with the same ids, persistence, pending count. */
import { describe, expect, it } from 'vitest';
import type { Command, CommandAck } from '@huntroom/shared';
import { MemoryOutboxStore, Outbox } from './outbox.js';

/** A stand-in server that remembers acks by id, as the real one does, and can drop the connection. */
function fakeServer() {
  const acks = new Map<string, CommandAck>();
  const received: string[] = [];
  let seq = 0;
  let dropNext = 0;
  const transport = async (c: Command): Promise<CommandAck> => {
    received.push(c.id);
    if (!acks.has(c.id)) acks.set(c.id, { ok: true, seq: ++seq });
    if (dropNext > 0) {
      dropNext--;
      throw new Error('disconnected before the ack');
    }
    return acks.get(c.id)!;
  };
  return { transport, received, acks, drop: (n: number) => (dropNext = n) };
}
const cmd = (id: string): Command => ({ id, type: 'indicator:create', payload: { n: id } });

describe('Outbox', () => {
  it('sends in issue order and resolves each with its ack', async () => {
    const server = fakeServer();
    const outbox = new Outbox(new MemoryOutboxStore());
    outbox.online(server.transport);
    const acks = await Promise.all(['a1', 'a2', 'a3'].map((id) => outbox.issue(cmd(id))));
    expect(acks).toEqual([
      { ok: true, seq: 1 },
      { ok: true, seq: 2 },
      { ok: true, seq: 3 },
    ]);
    expect(server.received).toEqual(['a1', 'a2', 'a3']);
    expect(outbox.pending).toBe(0);
  });

  it('keeps commands while offline, counts them, and replays them with the same ids', async () => {
    const store = new MemoryOutboxStore();
    const outbox = new Outbox(store);
    const counts: number[] = [];
    outbox.subscribe((n) => counts.push(n));
    const done = [outbox.issue(cmd('b1')), outbox.issue(cmd('b2'))];
    await Promise.resolve();
    expect(outbox.pending).toBe(2);
    expect(store.items.size).toBe(2);
    const server = fakeServer();
    server.drop(1); // the first attempt reaches the server, but the ack is lost
    outbox.online(server.transport);
    await new Promise((r) => setTimeout(r, 0));
    expect(outbox.pending).toBe(2);
    outbox.online(server.transport); // reconnected
    expect(await Promise.all(done)).toEqual([
      { ok: true, seq: 1 },
      { ok: true, seq: 2 },
    ]);
    expect(server.received).toEqual(['b1', 'b1', 'b2']);
    expect(server.acks.size).toBe(2); // created once each
    expect(counts).toEqual([0, 1, 2, 1, 0]);
    expect(store.items.size).toBe(0);
  });

  it('restores what a previous page left unsent, oldest first', async () => {
    const store = new MemoryOutboxStore();
    const first = new Outbox(store);
    void first.issue(cmd('c1'));
    void first.issue(cmd('c2'));
    await new Promise((r) => setTimeout(r, 0));
    const reloaded = new Outbox(store);
    await reloaded.restore();
    expect(reloaded.pending).toBe(2);
    const server = fakeServer();
    reloaded.online(server.transport);
    await new Promise((r) => setTimeout(r, 0));
    expect(server.received).toEqual(['c1', 'c2']);
    expect(reloaded.pending).toBe(0);
  });

  it('treats a refusal as final and a server error as retryable', async () => {
    const outbox = new Outbox(new MemoryOutboxStore());
    let calls = 0;
    outbox.online(async () => ({ ok: false, error: { code: 'forbidden', message: 'observers cannot write' } }));
    expect(await outbox.issue(cmd('d1'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    outbox.online(async () => (++calls === 1 ? { ok: false, error: { code: 'internal', message: 'x' } } : { ok: true, seq: 9 }));
    const p = outbox.issue(cmd('d2'));
    await new Promise((r) => setTimeout(r, 0));
    expect(outbox.pending).toBe(1);
    outbox.online(async () => ({ ok: true, seq: 9 }));
    expect(await p).toEqual({ ok: true, seq: 9 });
  });

  it("resends by itself, same id, while connected, a command whose item's home is unreachable; says why meanwhile", async () => {
    const outbox = new Outbox(new MemoryOutboxStore(), { retryMinMs: 5, retryMaxMs: 20 });
    const sent: string[] = [];
    const reasons: (string | undefined)[] = [];
    outbox.onHeld((r) => reasons.push(r));
    const down = 'the home of this item, lv-cert, is not reachable; try again when the link is back';
    // The link to the home is down for three attempts, then up; no reconnect of the socket in between.
    outbox.online(async (c) => {
      sent.push(c.id);
      return sent.length <= 3 ? { ok: false, error: { code: 'unavailable', message: down } } : { ok: true, seq: 4 };
    });
    const first = outbox.issue(cmd('e1'));
    // The one issued after it waits behind it (issue order holds), then goes.
    expect(await outbox.issue(cmd('e2'))).toEqual({ ok: true, seq: 4 });
    expect(await first).toEqual({ ok: true, seq: 4 });
    expect(sent).toEqual(['e1', 'e1', 'e1', 'e1', 'e2']);
    expect(reasons).toEqual([undefined, down, undefined]);
    expect(outbox.held).toBeUndefined();
    expect(outbox.pending).toBe(0);
  });

  it('stops resending when offline, and an internal error waits for the next reconnect', async () => {
    const outbox = new Outbox(new MemoryOutboxStore(), { retryMinMs: 5, retryMaxMs: 5 });
    let calls = 0;
    outbox.online(async () => {
      calls++;
      return { ok: false, error: { code: 'unavailable', message: 'lv-cert is not reachable' } };
    });
    void outbox.issue(cmd('f1'));
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toBeGreaterThan(1);
    outbox.offline();
    const atOffline = calls;
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toBe(atOffline);

    let internal = 0;
    outbox.online(async () => {
      internal++;
      return { ok: false, error: { code: 'internal', message: 'x' } };
    });
    await new Promise((r) => setTimeout(r, 40));
    expect(internal).toBe(1);
    outbox.offline();
  });
});
