/** Who is in this document now, from the Yjs awareness: one chip per person in their team colour. */
import { useEffect, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type { PresenceUser } from '../lib/collab/docSession.js';

export function PresenceBar({ provider }: { provider: WebsocketProvider }) {
  const [people, setPeople] = useState<PresenceUser[]>([]);
  useEffect(() => {
    const read = () => {
      const seen = new Map<string, PresenceUser>();
      for (const state of provider.awareness.getStates().values()) {
        const user = (state as { user?: PresenceUser }).user;
        if (user?.username) seen.set(user.username, user);
      }
      setPeople([...seen.values()].sort((a, b) => a.name.localeCompare(b.name)));
    };
    read();
    provider.awareness.on('change', read);
    return () => provider.awareness.off('change', read);
  }, [provider]);
  return (
    <ul className="presence" aria-label="People here" data-testid="presence">
      {people.map((p) => (
        <li key={p.username} className="presence-chip" style={{ borderColor: p.color }} title={`${p.name} (${p.team})`}>
          <span className="presence-dot" style={{ background: p.color }} aria-hidden />
          {p.name} <span className="muted">{p.team}</span>
        </li>
      ))}
    </ul>
  );
}
