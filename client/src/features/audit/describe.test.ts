import { describe, expect, it } from 'vitest';
import { describeAction, namedSubjects, summarizeDetail } from './describe.js';

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

  it('says markings as TLP labels, not JSON', () => {
    expect(summarizeDetail({ from: { tlp: 'AMBER', releasableTo: [] }, to: { tlp: 'RED', releasableTo: ['t-1', 't-2'] } })).toBe(
      'from: TLP:AMBER · to: TLP:RED, releasable to 2 teams',
    );
    expect(summarizeDetail({ to: { tlp: 'GREEN', releasableTo: ['t-1'] } })).toBe('to: TLP:GREEN, releasable to 1 team');
  });

  it('leaves out the ids the row already names, and names only labelled subjects', () => {
    expect(summarizeDetail({ id: 'u-1', type: 'domain', other: 'u-2' }, new Set(['u-1']))).toBe('type: domain · other: u-2');
    expect(
      namedSubjects([
        { kind: 'indicator', id: 'u-1', label: 'evil.example.com' },
        { kind: 'comment', id: 'c-1' },
      ]),
    ).toEqual([{ kind: 'indicator', label: 'evil.example.com' }]);
  });
});
