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
/** A command that changes the existing item `item` (as `indicator:update`, `network:delete` name theirs). */
const on = (id: string, type: string, payload: Record<string, unknown>): Command => ({ id, type, payload: { workspaceId: 'ws-1', ...payload } });
const DOWN = 'the home of this item, lv-cert, is not reachable; try again when the link is back';
const later = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/**
 * A server where the items in `remote` are homed on lv-cert, whose link is down until `up()`:
 * a command naming one of them is answered `unavailable`; every other command is done at once.
 */
function federatedServer(remote: readonly string[]) {
  const sent: string[] = [];
  const done: string[] = [];
  let linkUp = false;
  let seq = 0;
  const transport = async (c: Command): Promise<CommandAck> => {
    sent.push(c.id);
    const names = JSON.stringify(c.payload);
    if (!linkUp && remote.some((r) => names.includes(`"${r}"`))) return { ok: false, error: { code: 'unavailable', message: DOWN } };
    if (!done.includes(c.id)) done.push(c.id);
    return { ok: true, seq: ++seq };
  };
  return { transport, sent, done, up: () => (linkUp = true) };
}

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
    // The one issued after it waits behind it (e1 names no item, so nothing can be shown independent of it), then goes.
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

  describe('a held command holds back only the commands on its items', () => {
    it('lets local changes go on while a peer-homed change is held, and keeps order per item', async () => {
      const server = federatedServer(['lv-ind']);
      const outbox = new Outbox(new MemoryOutboxStore(), { retryMinMs: 5, retryMaxMs: 20 });
      const reasons: (string | undefined)[] = [];
      outbox.onHeld((r) => reasons.push(r));
      outbox.online(server.transport);
      const acks = new Map<string, Promise<CommandAck>>();
      const issue = (c: Command) => acks.set(c.id, outbox.issue(c));
      issue(on('remote-1', 'indicator:update', { id: 'lv-ind', confidence: 70 }));
      issue(on('local-1', 'indicator:update', { id: 'us-ind', confidence: 10 }));
      issue(on('remote-2', 'indicator:update', { id: 'lv-ind', confidence: 80 })); // same item: after remote-1
      issue(on('remote-3', 'sighting:add', { indicatorId: 'lv-ind' })); // about it: after remote-1 too
      issue(on('local-2', 'indicator:create', { type: 'domain', value: 'local.example' }));
      issue(on('local-3', 'comment:add', { indicatorId: 'us-ind', body: 'seen' }));
      // The local ones are answered while the link is down.
      expect(await acks.get('local-1')).toEqual({ ok: true, seq: 1 });
      expect(await acks.get('local-3')).toEqual({ ok: true, seq: 3 });
      expect(server.done).toEqual(['local-1', 'local-2', 'local-3']);
      await expect.poll(() => server.sent.filter((id) => id === 'remote-1').length).toBeGreaterThan(2);
      // Only remote-1 was tried: the later commands on its item were never sent ahead of it.
      expect(server.sent.filter((id) => id.startsWith('remote-') && id !== 'remote-1')).toEqual([]);
      expect(outbox.pending).toBe(3);
      expect(outbox.heldCount).toBe(1);
      expect(outbox.held).toBe(DOWN);

      server.up();
      expect(await acks.get('remote-3')).toMatchObject({ ok: true });
      expect(server.done).toEqual(['local-1', 'local-2', 'local-3', 'remote-1', 'remote-2', 'remote-3']);
      expect(outbox.pending).toBe(0);
      expect(outbox.heldCount).toBe(0);
      expect(outbox.held).toBeUndefined();
      expect(reasons).toEqual([undefined, DOWN, undefined]);
    });

    it('a command that names an item of one queued behind a held command waits too (a chain keeps its order)', async () => {
      const server = federatedServer(['lv-net']);
      const outbox = new Outbox(new MemoryOutboxStore(), { retryMinMs: 5, retryMaxMs: 20 });
      outbox.online(server.transport);
      const all = [
        outbox.issue(on('a', 'network:update', { id: 'lv-net', name: 'DMZ' })),
        // Names lv-net and h1: waits for a; then anything on h1 waits for it.
        outbox.issue(on('b', 'host:update', { id: 'h1', networkId: 'lv-net' })),
        outbox.issue(on('c', 'finding:create', { hostId: 'h1', title: 'beacon' })),
        outbox.issue(on('d', 'host:update', { id: 'h2', name: 'ws-07' })),
      ];
      await expect.poll(() => server.done).toEqual(['d']);
      expect(server.sent).not.toContain('b');
      expect(server.sent).not.toContain('c');
      server.up();
      await Promise.all(all);
      expect(server.done).toEqual(['d', 'a', 'b', 'c']);
    });

    it("a held delete holds what names its item, in a bulk command or a bulk create's items too", async () => {
      const server = federatedServer(['lv-net']);
      const outbox = new Outbox(new MemoryOutboxStore(), { retryMinMs: 5, retryMaxMs: 20 });
      outbox.online(server.transport);
      const all = [
        outbox.issue(on('del', 'network:delete', { id: 'lv-net' })),
        outbox.issue(
          on('hosts', 'host:bulkCreate', {
            items: [
              { networkId: 'us-net', name: 'a' },
              { networkId: 'lv-net', name: 'b' },
            ],
          }),
        ),
        outbox.issue(on('bulk', 'indicator:bulkUpdate', { ids: ['us-1', 'us-2'], status: 'confirmed' })),
        outbox.issue(on('after', 'indicator:bulkDelete', { ids: ['us-2'] })),
      ];
      await expect.poll(() => server.done).toEqual(['bulk', 'after']);
      expect(server.sent).not.toContain('hosts');
      server.up();
      await Promise.all(all);
      expect(server.done).toEqual(['bulk', 'after', 'del', 'hosts']);
    });

    it('two held commands of two homes are resent in issue order, with their ids, and each is answered once its home is', async () => {
      const sent: string[] = [];
      const up = new Set<string>();
      const outbox = new Outbox(new MemoryOutboxStore(), { retryMinMs: 5, retryMaxMs: 20 });
      outbox.online(async (c) => {
        sent.push(c.id);
        const home = (c.payload as { id: string }).id.split('-')[0]!;
        return up.has(home) ? { ok: true, seq: sent.length } : { ok: false, error: { code: 'unavailable', message: `${home}-cert is not reachable` } };
      });
      const lv = outbox.issue(on('to-lv', 'indicator:update', { id: 'lv-1' }));
      const ee = outbox.issue(on('to-ee', 'indicator:update', { id: 'ee-1' }));
      await expect.poll(() => sent.filter((id) => id === 'to-ee').length).toBeGreaterThan(1);
      expect(outbox.heldCount).toBe(2);
      expect(outbox.held).toBe('lv-cert is not reachable');
      up.add('ee');
      expect(await ee).toMatchObject({ ok: true });
      expect(outbox.heldCount).toBe(1);
      expect(outbox.held).toBe('lv-cert is not reachable');
      up.add('lv');
      expect(await lv).toMatchObject({ ok: true });
      expect(outbox.held).toBeUndefined();
      // Every round of tries sends the older one first: lv, ee, lv, ee, … until ee's home answered.
      const rounds = sent.slice(0, sent.lastIndexOf('to-ee') + 1);
      expect(rounds).toEqual(rounds.map((_, i) => (i % 2 ? 'to-ee' : 'to-lv')));
    });

    it('a held command that names no item, and a rate-limited one, still hold everything after them', async () => {
      for (const code of ['unavailable', 'rate_limited'] as const) {
        const sent: string[] = [];
        let open = false;
        const outbox = new Outbox(new MemoryOutboxStore(), { retryMinMs: 5, retryMaxMs: 20 });
        outbox.online(async (c) => {
          sent.push(c.id);
          return open || c.id !== 'first' ? { ok: true, seq: sent.length } : { ok: false, error: { code, message: 'not yet' } };
        });
        const first = outbox.issue(code === 'unavailable' ? on('first', 'indicator:create', { value: 'x' }) : on('first', 'indicator:update', { id: 'us-1' }));
        const second = outbox.issue(on('second', 'indicator:update', { id: 'us-2' }));
        await expect.poll(() => sent.length).toBeGreaterThan(2);
        expect(sent).not.toContain('second');
        open = true;
        await Promise.all([first, second]);
        expect(sent.at(-1)).toBe('second');
        outbox.offline();
      }
    });

    it('a reconnect sends the held command again at once, before the later ones on its item', async () => {
      const server = federatedServer(['lv-ind']);
      const outbox = new Outbox(new MemoryOutboxStore(), { retryMinMs: 60_000, retryMaxMs: 60_000 });
      outbox.online(server.transport);
      const a = outbox.issue(on('a', 'indicator:update', { id: 'lv-ind' }));
      const b = outbox.issue(on('b', 'indicator:update', { id: 'lv-ind' }));
      await expect.poll(() => outbox.held).toBe(DOWN);
      outbox.offline();
      server.up();
      outbox.online(server.transport);
      await Promise.all([a, b]);
      expect(server.sent).toEqual(['a', 'a', 'b']);
      await later();
      expect(outbox.held).toBeUndefined();
      outbox.offline();
    });
  });
});
