import { describe, expect, it } from 'vitest';
import { RECEIVE_LIMIT, ReceiveQueue, SEND_WINDOW, SendWindow } from './deferral.js';

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
