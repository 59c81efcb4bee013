import { describe, expect, it } from 'vitest';
import { LinkUpdateLimits } from './limits.js';

const options = { updatesPerSecond: 2, updateBurst: 1, cpuBudgetMs: 100, cpuWindowMs: 1_000, accountCpuBudgetMs: 100 };
const liga = { id: 'liga-id-0001', name: 'liga@lv-cert' };
const lauris = { id: 'lauris-id-01', name: 'lauris@lv-cert' };

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('LinkUpdateLimits', () => {
  it("defers an author's updates past its burst, and takes them again as the bucket refills", () => {
    const c = clock();
    const limits = new LinkUpdateLimits(options, c.now);
    // Burst: ten times a socket's (1), for the outbox's replay of an outage.
    for (let i = 0; i < 10; i++) expect(limits.admit('lv-cert', liga)).toBeUndefined();
    // Not refused: deferred until a token is back (1/rate s).
    expect(limits.admit('lv-cert', liga)).toEqual({ reason: 'updates of liga@lv-cert over lv-cert come faster than 2 a second', retryAfterMs: 500 });
    // Another author of the same link is not held back by liga's rate.
    expect(limits.admit('lv-cert', lauris)).toBeUndefined();
    c.advance(500);
    expect(limits.admit('lv-cert', liga)).toBeUndefined();
  });

  it('bounds the whole link, however many authors a hostile peer names', () => {
    const c = clock();
    const limits = new LinkUpdateLimits(options, c.now);
    let refusal: { reason: string } | undefined;
    for (let i = 0; i < 200 && !refusal; i++) refusal = limits.admit('lv-cert', { id: `invented-${i}`, name: `u${i}@lv-cert` });
    expect(refusal?.reason).toMatch(/lv-cert sends document updates faster than 20 a second/);
    // Another link is not affected.
    expect(limits.admit('ee-cert', liga)).toBeUndefined();
  });

  it('cuts an author off once its CPU budget is spent, until the window turns; the link budget holds four times more', () => {
    const c = clock();
    const limits = new LinkUpdateLimits(options, c.now);
    expect(limits.charge('lv-cert', liga, 80)).toBe(true);
    expect(limits.charge('lv-cert', liga, 30)).toBe(false);
    expect(limits.admit('lv-cert', liga)?.reason).toMatch(/updates of liga@lv-cert over lv-cert cost too much server time/);
    expect(limits.admit('lv-cert', lauris)).toBeUndefined();
    // The link: 400 ms a window (four accounts' worth), shared by every author.
    expect(limits.charge('lv-cert', lauris, 95)).toBe(true);
    expect(limits.charge('lv-cert', { id: 'x-id-000001', name: 'x@lv-cert' }, 99)).toBe(true);
    expect(limits.charge('lv-cert', { id: 'y-id-000001', name: 'y@lv-cert' }, 99)).toBe(false);
    expect(limits.admit('lv-cert', { id: 'z-id-000001', name: 'z@lv-cert' })?.reason).toMatch(/document updates over lv-cert cost too much server time/);
    c.advance(1_001);
    expect(limits.admit('lv-cert', liga)).toBeUndefined();
  });
});
