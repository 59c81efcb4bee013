/**
 * Live cursors over the Yjs awareness: our pointer goes into the awareness state next to `user`
 * (name, team, colour; set by docSession), and the other clients' states become Excalidraw
 * "collaborators", drawn as named cursors in their team colour.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { Collaborator, SocketId } from '@excalidraw/excalidraw/types';
import type { PresenceUser } from '../../lib/collab/docSession.js';

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

/** Everyone but us, keyed by awareness client id. */
export function collaboratorsFrom(awareness: Awareness): Map<SocketId, Collaborator> {
  const out = new Map<SocketId, Collaborator>();
  for (const [clientId, raw] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const { user, pointer } = raw as State;
    if (!user?.name || !pointer || !Number.isFinite(pointer.x) || !Number.isFinite(pointer.y)) continue;
    const id = String(clientId) as SocketId;
    out.set(id, {
      id,
      socketId: id,
      username: `${user.name} (${user.team})`,
      color: { background: user.color, stroke: user.color },
      pointer: { x: pointer.x, y: pointer.y, tool: pointer.tool === 'laser' ? 'laser' : 'pointer' },
      button: pointer.button === 'down' ? 'down' : 'up',
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
