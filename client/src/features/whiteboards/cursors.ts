/**
 * Live cursors over the Yjs awareness: our pointer goes into the awareness state next to `user`
 * (name, team, colour; set by docSession). The other clients' states become Excalidraw
 * "collaborators" (its avatar list, follow mode and laser trails), but Excalidraw 0.18 draws their
 * cursors in a colour hashed from the id, ignoring ours, on a canvas under the dark theme's colour
 * filter. So Excalidraw is told not to draw them (`renderCursor: false`) and RemoteCursors.tsx draws
 * them above the canvas, in the team's own colour.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { Collaborator, SocketId } from '@excalidraw/excalidraw/types';
import type { PresenceUser } from '../../lib/collab/docSession.js';
import { underDarkFilter } from './themeFilter.js';

export interface PointerState {
  x: number;
  y: number;
  tool: 'pointer' | 'laser';
  button: 'up' | 'down';
}

interface State {
  user?: PresenceUser;
  pointer?: PointerState;
}

/** Another user's pointer on the board, in scene coordinates. */
export interface RemoteCursor {
  id: string;
  label: string;
  color: string;
  x: number;
  y: number;
  down: boolean;
}

/** Everyone but us with a pointer on the board. */
export function remoteCursors(awareness: Awareness): RemoteCursor[] {
  const out: RemoteCursor[] = [];
  for (const [clientId, raw] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const { user, pointer } = raw as State;
    if (!user?.name || !pointer || !Number.isFinite(pointer.x) || !Number.isFinite(pointer.y)) continue;
    const color = /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#888888';
    out.push({ id: String(clientId), label: `${user.name} (${user.team})`, color, x: pointer.x, y: pointer.y, down: pointer.button === 'down' });
  }
  return out;
}

/** The same users as Excalidraw collaborators, keyed by awareness client id; their cursors are ours to draw. */
export function collaboratorsFrom(awareness: Awareness): Map<SocketId, Collaborator> {
  const out = new Map<SocketId, Collaborator>();
  const states = awareness.getStates();
  for (const c of remoteCursors(awareness)) {
    const id = c.id as SocketId;
    const tool = (states.get(Number(c.id)) as State | undefined)?.pointer?.tool === 'laser' ? 'laser' : 'pointer';
    out.set(id, {
      id,
      socketId: id,
      username: c.label,
      color: { background: c.color, stroke: c.color },
      // A laser trail is drawn on the filtered canvas: hand it the colour the filter turns into the team's.
      pointer: { x: c.x, y: c.y, tool, renderCursor: false, laserColor: underDarkFilter(c.color) },
      button: c.down ? 'down' : 'up',
    });
  }
  return out;
}

/**
 * Sends our pointer at most every `intervalMs` (the server rate-limits awareness per client; 20 a
 * second is its default, so 10 a second leaves room for the other awareness fields).
 */
export function pointerSender(awareness: Awareness, intervalMs = 100) {
  let last = 0;
  let latest: PointerState | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    timer = undefined;
    last = Date.now();
    if (latest) awareness.setLocalStateField('pointer', latest);
  };
  return {
    update(p: PointerState) {
      latest = p;
      if (timer) return;
      const wait = Math.max(0, intervalMs - (Date.now() - last));
      timer = setTimeout(send, wait);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
