import { describe, expect, it } from 'vitest';
import { describeAction, summarizeDetail } from './describe.js';

describe('audit wording', () => {
  it('says known actions in words and shows unknown ones as they are', () => {
    expect(describeAction('invite.accepted')).toBe('joined by invite');
    expect(describeAction('handoff.started')).toBe('started a live handoff');
    expect(describeAction('some.new_action')).toBe('some new action');
  });

  it('puts ids after names and flattens lists', () => {
    expect(summarizeDetail({ inviteId: 'i1', role: 'hunter', teams: ['CA', 'LV'], empty: null })).toBe('role: hunter · teams: CA, LV · inviteId: i1');
    const at = '2026-11-27T14:07:21.115Z';
    expect(summarizeDetail({ expiresAt: at })).toBe(`expiresAt: ${new Date(at).toLocaleString()}`);
  });
});
