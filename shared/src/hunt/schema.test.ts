import { describe, expect, it } from 'vitest';
import { createHostSchema, createNetworkSchema, listTimelineQuerySchema, timelineItemSchema } from './schema.js';

describe('hunt schemas', () => {
  it('refuses a host with neither name nor address, and canonicalizes addresses', () => {
    expect(createHostSchema.safeParse({ workspaceId: 'w', networkId: 'n' }).success).toBe(false);
    const ok = createHostSchema.parse({ workspaceId: 'w', networkId: 'n', addresses: ['2001:DB8::0:1'] });
    expect(ok.addresses).toEqual(['2001:db8::1']);
    expect(createHostSchema.safeParse({ workspaceId: 'w', networkId: 'n', addresses: ['not-an-ip'] }).success).toBe(false);
  });
  it('refuses a network period that ends before it starts', () => {
    const r = createNetworkSchema.safeParse({ workspaceId: 'w', name: 'n', periodFrom: '2026-02-01T00:00:00Z', periodTo: '2026-01-01T00:00:00Z' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['periodTo']);
  });
  it('takes time zones as IANA names or offsets, and refuses anything else', () => {
    for (const tz of ['Europe/Riga', 'UTC', '+02:00', '-0530'])
      expect(timelineItemSchema.safeParse({ at: '2026-01-01T00:00:00Z', description: 'x', sourceTimeZone: tz }).success).toBe(true);
    for (const tz of ['Mars/Olympus', '+25:00', 'x'.repeat(65)])
      expect(timelineItemSchema.safeParse({ at: '2026-01-01T00:00:00Z', description: 'x', sourceTimeZone: tz }).success).toBe(false);
    expect(timelineItemSchema.safeParse({ at: 'yesterday', description: 'x' }).success).toBe(false);
  });
  it('refuses a time range that ends before it starts', () => {
    expect(listTimelineQuerySchema.safeParse({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }).success).toBe(false);
  });
});
