/**
 * Socket handlers of live handoff: join and leave a session's room (owners and the recipient team's
 * members of a live session only), and the presenter's view, relayed to the room. Attendance is the
 * room's membership, read across nodes, and sent to the room whenever it changes.
 */
import { handoffSessionRefSchema, handoffViewEventSchema, type Ack } from '@huntroom/shared';
import type { RecordContext } from '../records/command.js';
import type { HubSocket } from '../realtime/hub.js';
import { AppError } from '../http/errors.js';
import { workspaceStore } from '../workspaces/store.js';
import { handoffRoom, isLive, mayAttend } from './service.js';
import { handoffStore, publicSession } from './store.js';
import { viewForRecipient } from './view.js';

const fail = (err: unknown): Ack => ({ ok: false, error: (err instanceof AppError ? err : new AppError('internal', 'handoff failed')).toBody() });
const reply = (ack: unknown) => (typeof ack === 'function' ? (ack as (a: Ack) => void) : () => undefined);

export function handoffSockets(ctx: RecordContext, socket: HubSocket): void {
  const account = socket.data.account;

  const announce = async (sessionId: string) => {
    const people = await ctx.realtime.accountsIn(handoffRoom(sessionId));
    ctx.realtime.toRoom(handoffRoom(sessionId), 'handoff:attended', {
      sessionId,
      attendees: people.map((a) => ({ accountId: a.id, displayName: a.displayName, team: a.team.code })).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    });
  };

  /** The session if it is live and this socket's account may attend it; otherwise a clear refusal. */
  const attendable = async (sessionId: string) => {
    const s = await handoffStore.get(ctx.db, sessionId);
    // The same answer for "no such session" and "not yours to attend": no hint that it exists.
    if (!s || !mayAttend(s, account, await workspaceStore.roleOf(ctx.db, s.workspaceId, account.id))) throw new AppError('not_found', 'handoff session not found');
    if (!isLive(s)) throw new AppError('gone', 'this handoff has ended');
    return s;
  };

  socket.on('handoff:join', (payload, ack) => {
    const parsed = handoffSessionRefSchema.safeParse(payload);
    if (!parsed.success) return reply(ack)(fail(new AppError('validation_failed', 'sessionId is required')));
    attendable(parsed.data.sessionId)
      .then(async (s) => {
        await socket.join(handoffRoom(s.id));
        reply(ack)({ ok: true, data: { session: publicSession(s) } });
        await announce(s.id);
      })
      .catch((err: unknown) => reply(ack)(fail(err)));
  });

  socket.on('handoff:leave', (payload, ack) => {
    const parsed = handoffSessionRefSchema.safeParse(payload);
    if (parsed.success) {
      void socket.leave(handoffRoom(parsed.data.sessionId));
      void announce(parsed.data.sessionId);
    }
    reply(ack)({ ok: true });
  });

  socket.on('handoff:view', (payload, ack) => {
    const parsed = handoffViewEventSchema.safeParse(payload);
    if (!parsed.success) return reply(ack)(fail(new AppError('validation_failed', 'a view needs sessionId, path and scroll')));
    const { sessionId, view } = parsed.data;
    attendable(sessionId)
      .then(async (s) => {
        if (s.presenter.accountId !== account.id) throw new AppError('forbidden', 'only the presenter sets the view');
        if (view.path !== `/w/${s.workspaceId}` && !view.path.startsWith(`/w/${s.workspaceId}/`)) throw new AppError('validation_failed', 'the view must be inside the workspace');
        socket.to(handoffRoom(sessionId)).emit('handoff:viewed', { sessionId, view: await viewForRecipient(ctx.db, s, view) });
        reply(ack)({ ok: true });
      })
      .catch((err: unknown) => reply(ack)(fail(err)));
  });

  // Rooms are still known while disconnecting; attendance is announced once the socket is gone.
  socket.on('disconnecting', () => {
    const sessions = [...socket.rooms].filter((r) => r.startsWith('handoff:')).map((r) => r.slice('handoff:'.length));
    socket.once('disconnect', () => sessions.forEach((id) => void announce(id)));
  });
}
