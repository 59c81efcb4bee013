/**
 * The workspace's ATT&CK board: the compact ATT&CK index of a domain (cached by the browser with its
 * ETag), the board's Yjs document (marks of every team, live, kept offline in IndexedDB like notes),
 * and the team colours.
 */
import { useEffect, useState } from 'react';
import { MARKS_MAP, markKey, markSchema, type Account, type AttackDomain, type AttackIndex, type Mark, type Team } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useDocSession } from '../../lib/collab/useDocSession.js';

export function useAttackIndex(domain: AttackDomain) {
  return useAsync(() => get<AttackIndex>(`/api/attack/${domain}`), [domain]);
}

export function useTeams() {
  return useAsync(() => get<{ teams: Team[] }>('/api/teams').then((r) => new Map(r.teams.map((t) => [t.code, t]))), []);
}

/** Live marks of the board document whose id is `docId`; `setMark(null)` clears the team's mark. */
export function useMarks(docId: string, account: Account) {
  const { session, status } = useDocSession(docId, account);
  const [marks, setMarks] = useState<Mark[]>([]);
  useEffect(() => {
    if (!session) return;
    const map = session.doc.getMap(MARKS_MAP);
    // A value must be the mark of its own key (technique and team): anything else is not shown.
    const read = () =>
      setMarks(
        [...map.entries()].flatMap(([key, v]) => {
          const m = markSchema.safeParse(v);
          return m.success && markKey(m.data.techniqueId, m.data.team) === key ? [m.data] : [];
        }),
      );
    read();
    map.observe(read);
    return () => map.unobserve(read);
  }, [session]);
  const setMark = (techniqueId: string, mark: Omit<Mark, 'techniqueId' | 'team'> | null) => {
    if (!session) return;
    const map = session.doc.getMap(MARKS_MAP);
    const key = markKey(techniqueId, account.team.code);
    if (mark) map.set(key, { ...mark, techniqueId, team: account.team.code });
    else map.delete(key);
  };
  return { marks, setMark, status };
}
