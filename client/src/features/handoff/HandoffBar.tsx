/**
 * The strip above a workspace's content while a live handoff runs: who presents to whom, who attends,
 * and for attendees a way to stop (and resume) following the presenter. Keyboard reachable, and
 * announced to screen readers when it appears.
 */
import type { Account } from '@huntroom/shared';
import { useLiveHandoff } from './useLiveHandoff.js';
import './handoff.css';

export function HandoffBar({ workspaceId, account }: { workspaceId: string; account: Account }) {
  const { session, attendees: everyone, presenting, following, setFollowing } = useLiveHandoff(workspaceId, account);
  if (!session) return null;
  // The presenter is in the session's room too, but presents: not counted among those who attend.
  const attendees = everyone.filter((a) => a.accountId !== session.presenter.accountId);
  const names = attendees.map((a) => `${a.displayName} (${a.team})`).join(', ');
  return (
    <div className="handoff-bar" role="status" aria-live="polite" data-testid="handoff-bar" data-following={following && !presenting}>
      <span className="handoff-live" aria-hidden>
        ● LIVE
      </span>
      <span>
        {presenting ? (
          <>
            You are presenting to <strong>{session.recipient.code}</strong>: attendees follow your screen.
          </>
        ) : (
          <>
            Handoff to <strong>{session.recipient.code}</strong>, presented by <strong>{session.presenter.displayName}</strong>
            {following ? ': following.' : ': not following.'}
          </>
        )}
      </span>
      <span className="muted small" data-testid="handoff-attendees">
        {attendees.length} attending{names ? `: ${names}` : ''}
      </span>
      {!presenting && (
        <button className="btn small" onClick={() => setFollowing((f) => !f)} data-testid="handoff-follow-toggle">
          {following ? 'Stop following' : 'Follow presenter'}
        </button>
      )}
    </div>
  );
}
