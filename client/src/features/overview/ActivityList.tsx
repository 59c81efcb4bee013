/** The last hour's changes the viewer's team may see: who (name and team), did what, to which item, when. */
import { defang, type OverviewActivity } from '@huntroom/shared';
import { TeamBadge } from '../../components/badges.js';

const VERBS: Record<string, string> = {
  created: 'added',
  updated: 'changed',
  deleted: 'deleted',
  sighted: 'recorded a sighting of',
  commented: 'commented on',
};

/** "changed indicator", "added host": the event type in words. */
export function describeEvent(type: string): string {
  const [kind = '', what = ''] = type.split(':');
  const verb = VERBS[what] ?? what;
  return what === 'sighted' || what === 'commented' ? verb : `${verb} ${kind === 'timeline' ? 'timeline event' : kind}`;
}

export function minutesAgo(at: string, now = Date.now()): string {
  const m = Math.max(0, Math.round((now - Date.parse(at)) / 60_000));
  return m === 0 ? 'just now' : m === 1 ? '1 min ago' : `${m} min ago`;
}

export function ActivityList({ items }: { items: OverviewActivity[] }) {
  if (!items.length) return <p className="muted">Nothing changed in the last hour.</p>;
  return (
    <ol className="activity-list" data-testid="overview-activity">
      {items.map((a, i) => (
        <li key={`${a.at}-${i}`} data-testid="overview-activity-item">
          <span className="activity-who">
            {a.actor ? (
              <>
                <TeamBadge team={a.actor.team} /> {a.actor.displayName}
              </>
            ) : (
              'system'
            )}
          </span>{' '}
          <span className="activity-what">{describeEvent(a.type)}</span> {a.subject && <code className="activity-subject">{defang(a.subject)}</code>}
          <time className="muted small activity-when" dateTime={a.at} title={new Date(a.at).toLocaleString()}>
            {minutesAgo(a.at)}
          </time>
        </li>
      ))}
    </ol>
  );
}
