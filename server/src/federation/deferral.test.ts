import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../log.js';
import { DeferredMessages, FederationDeferral, MAX_DEFER_MS, RECEIVE_LIMIT, ReceiveQueue, SEND_WINDOW, SendWindow } from './deferral.js';

describe('SendWindow', () => {
  it('fills at the message count and opens again as acks come', () => {
    const w = new SendWindow();
    for (let seq = 1; seq <= SEND_WINDOW.messages; seq++) {
      expect(w.full()).toBe(false);
      w.sent(seq, 10);
    }
    expect(w.full()).toBe(true);
    w.acked(1);
    expect(w.full()).toBe(false);
    // An old or repeated ack changes nothing.
    w.sent(SEND_WINDOW.messages + 1, 10);
    w.acked(1);
    expect(w.full()).toBe(true);
  });

  it('fills at the byte count, but always lets one message through', () => {
    const w = new SendWindow();
    expect(w.full()).toBe(false);
    w.sent(1, SEND_WINDOW.bytes * 2);
    expect(w.full()).toBe(true);
    w.acked(1);
    expect(w.full()).toBe(false);
    w.sent(2, SEND_WINDOW.bytes / 2);
    w.sent(3, SEND_WINDOW.bytes / 2);
    expect(w.full()).toBe(true);
    // A cumulative ack frees every message at or below it.
    w.acked(3);
    expect(w.full()).toBe(false);
  });
});

describe('ReceiveQueue', () => {
  it('says when a peer has sent more than the limit ahead of what was applied', () => {
    const q = new ReceiveQueue();
    for (let i = 0; i < RECEIVE_LIMIT.messages; i++) expect(q.add(1)).toBe(true);
    expect(q.add(1)).toBe(false);
    q.done(1);
    q.done(1);
    expect(q.add(1)).toBe(true);
  });

  it('counts bytes too', () => {
    const q = new ReceiveQueue();
    expect(q.add(RECEIVE_LIMIT.bytes)).toBe(true);
    expect(q.add(1)).toBe(false);
  });
});

describe('ReceiveQueue.push', () => {
  it('applies one message at a time, in order, and queues nothing past the limit', async () => {
    const q = new ReceiveQueue();
    const order: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    expect(
      q.push(1, async () => {
        await first;
        order.push('first');
      }),
    ).toBe(true);
    const done = new Promise<void>((resolve) => {
      expect(
        q.push(1, async () => {
          order.push('second');
          resolve();
        }),
      ).toBe(true);
    });
    release();
    await done;
    expect(order).toEqual(['first', 'second']);
    expect(q.push(RECEIVE_LIMIT.bytes + 1, () => Promise.reject(new Error('must not run')))).toBe(false);
  });
});

describe('DeferredMessages', () => {
  const log = { debug: () => undefined } as unknown as Logger;
  const message = { link: 'peer', seq: 1, type: 'doc.update' };
  afterEach(() => void vi.useRealTimers());

  it('tries a deferred message again after the delay it names, and counts each deferral', async () => {
    vi.useFakeTimers();
    const held = new DeferredMessages(log);
    let tries = 0;
    const attempt = async () => {
      tries++;
      if (tries < 3) throw new FederationDeferral('over budget', 1_000);
      return 'applied';
    };
    const result = held.retry({}, message, attempt, () => true);
    await vi.advanceTimersByTimeAsync(999);
    expect(tries).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(tries).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result).toBe('applied');
    expect(held.counts.get('peer')).toBe(2);
  });

  it('leaves the message to the next session when this one ended during the wait', async () => {
    vi.useFakeTimers();
    const held = new DeferredMessages(log);
    const session = {};
    let tries = 0;
    const attempt = async () => {
      tries++;
      throw new FederationDeferral('over budget', 10);
    };
    const result = held.retry(session, message, attempt, () => false);
    await vi.advanceTimersByTimeAsync(10);
    expect(await result).toBeUndefined();
    expect(tries).toBe(1);
    expect(held.stalled(session)).toBe(true);
    expect(held.stalled({})).toBe(false);
  });

  it('throws the deferral once the message has waited MAX_DEFER_MS, and anything else at once', async () => {
    vi.useFakeTimers();
    const held = new DeferredMessages(log);
    const result = held.retry(
      {},
      message,
      () => Promise.reject(new FederationDeferral('over budget', 60_000)),
      () => true,
    );
    const outcome = expect(result).rejects.toThrow('over budget');
    await vi.advanceTimersByTimeAsync(MAX_DEFER_MS);
    await outcome;
    expect(held.counts.get('peer')).toBe(MAX_DEFER_MS / 60_000);
    await expect(
      held.retry(
        {},
        message,
        () => Promise.reject(new Error('broken')),
        () => true,
      ),
    ).rejects.toThrow('broken');
  });
});
