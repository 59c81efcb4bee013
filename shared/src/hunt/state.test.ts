import { describe, expect, it } from 'vitest';
import { HOST_STATES } from './enums.js';
import { HOST_TRANSITIONS, hostTransitionError } from './state.js';

describe('host state rules', () => {
  it('lets an examination start from not examined, and never return to it', () => {
    for (const to of ['examined-clean', 'suspicious', 'compromised'] as const) expect(hostTransitionError('not-examined', to)).toBeNull();
    for (const from of HOST_STATES.filter((s) => s !== 'not-examined')) expect(hostTransitionError(from, 'not-examined')).toMatch(/cannot go from/);
  });
  it('refuses a compromised host becoming clean without remediation, and says what is allowed', () => {
    expect(hostTransitionError('compromised', 'examined-clean')).toBe('a host cannot go from compromised to examined-clean (from compromised: remediated)');
    expect(hostTransitionError('compromised', 'remediated')).toBeNull();
    expect(hostTransitionError('remediated', 'compromised')).toBeNull();
    expect(hostTransitionError('not-examined', 'remediated')).toMatch(/cannot go/);
  });
  it('treats staying in the same state as no change, and the table names only known states', () => {
    for (const s of HOST_STATES) expect(hostTransitionError(s, s)).toBeNull();
    for (const [from, tos] of Object.entries(HOST_TRANSITIONS)) {
      expect(HOST_STATES).toContain(from);
      for (const to of tos) expect(HOST_STATES).toContain(to);
    }
  });
});
