import { describe, expect, it } from 'vitest';
import type { HostView } from '@huntroom/shared';
import { planHosts } from './hostPlan.js';

const host = (hostname: string, addresses: string[]) => ({ id: `h-${hostname}`, hostname, addresses }) as unknown as HostView;

describe('planHosts', () => {
  it('merges by hostname without case or trailing dot, and by any shared address', () => {
    const existing = [host('DC01.partner.example', ['10.0.0.5']), host('', ['10.0.0.9'])];
    const plan = planHosts(
      [
        { row: 2, hostname: 'dc01.partner.example.', addresses: [] },
        { row: 3, addresses: ['10.0.0.9'] },
        { row: 4, hostname: 'ws01', addresses: ['10.0.0.20'] },
      ],
      existing,
    );
    expect(plan.outcomes).toEqual([{ kind: 'merge', into: 'DC01.partner.example' }, { kind: 'merge', into: '10.0.0.9' }, { kind: 'new' }]);
    expect([plan.created, plan.merged]).toEqual([1, 2]);
  });

  it('a host repeated within the file merges into its first row', () => {
    const plan = planHosts(
      [
        { row: 2, hostname: 'ws01', addresses: ['10.0.0.20'] },
        { row: 3, hostname: 'other', addresses: ['10.0.0.20'] },
        { row: 4, hostname: 'WS01', addresses: [] },
      ],
      [],
    );
    expect(plan.outcomes).toEqual([{ kind: 'new' }, { kind: 'repeat', row: 2 }, { kind: 'repeat', row: 2 }]);
    expect([plan.created, plan.merged]).toEqual([1, 2]);
  });
});
