/**
 * The live handoff a member of this workspace may attend (at most one is shown: the newest): joined
 * over the shared socket, with who attends, and the presenter's view. The presenter's own location
 * and scroll are sent as they change (and again when someone joins, so newcomers start in step);
 * everyone else follows it until they choose to stop.
 */
import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { Account, HandoffPerson, HandoffSession, HandoffView } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { getSocket } from '../../lib/realtime.js';

const scroller = () => document.scrollingElement ?? document.documentElement;

function scrollFraction(): number {
  const el = scroller();
  const room = el.scrollHeight - el.clientHeight;
  return room > 0 ? Math.min(1, Math.max(0, el.scrollTop / room)) : 0;
}

export function useLiveHandoff(workspaceId: string, account: Account) {
  const [session, setSession] = useState<HandoffSession>();
  const [attendees, setAttendees] = useState<HandoffPerson[]>([]);
  const [following, setFollowing] = useState(true);
  const [lastView, setLastView] = useState<HandoffView>();
  const location = useLocation();
  const navigate = useNavigate();
  const presenting = session?.presenter.accountId === account.id;
  const sessionId = session?.id;

  // Which session: the newest live one this member may attend; kept current by start/end events.
  useEffect(() => {
    const socket = getSocket();
    let alive = true;
    const load = () =>
      get<{ sessions: HandoffSession[] }>(`/api/workspaces/${workspaceId}/handoffs`)
        .then((r) => alive && setSession(r.sessions.at(-1)))
        .catch(() => undefined);
    void load();
    const ended = (e: { sessionId: string }) => setSession((s) => (s?.id === e.sessionId ? undefined : s));
    socket.on('handoff:started', load);
    socket.on('handoff:ended', ended);
    socket.on('connect', load);
    return () => {
      alive = false;
      socket.off('handoff:started', load);
      socket.off('handoff:ended', ended);
      socket.off('connect', load);
    };
  }, [workspaceId]);

  // Attend it: join its room (again after a reconnect), hear who is there and where the presenter is.
  useEffect(() => {
    if (!sessionId) return;
    const socket = getSocket();
    const join = () => socket.emit('handoff:join', { sessionId }, () => undefined);
    const onAttended = (e: { sessionId: string; attendees: HandoffPerson[] }) => e.sessionId === sessionId && setAttendees(e.attendees);
    const onViewed = (e: { sessionId: string; view: HandoffView }) => e.sessionId === sessionId && setLastView(e.view);
    if (socket.connected) join();
    socket.on('connect', join);
    socket.on('handoff:attended', onAttended);
    socket.on('handoff:viewed', onViewed);
    return () => {
      socket.off('connect', join);
      socket.off('handoff:attended', onAttended);
      socket.off('handoff:viewed', onViewed);
      socket.emit('handoff:leave', { sessionId }, () => undefined);
      setAttendees([]);
      setLastView(undefined);
    };
  }, [sessionId]);

  // Presenter: send where we are, on navigation, on scroll (at most 5 a second) and when people join.
  const sendTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (!sessionId || !presenting) return;
    const send = () => {
      clearTimeout(sendTimer.current);
      sendTimer.current = undefined;
      getSocket().emit('handoff:view', { sessionId, view: { path: location.pathname, scroll: scrollFraction() } }, () => undefined);
    };
    const onScroll = () => {
      sendTimer.current ??= setTimeout(send, 200);
    };
    send();
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      window.removeEventListener('scroll', onScroll);
      clearTimeout(sendTimer.current);
      sendTimer.current = undefined;
    };
  }, [sessionId, presenting, location.pathname, attendees.length]);

  // Follower: go where the presenter is, then scroll to the same place once the page has drawn.
  useEffect(() => {
    if (!lastView || presenting || !following) return;
    if (location.pathname !== lastView.path) navigate(lastView.path);
    const t = setTimeout(() => {
      const el = scroller();
      el.scrollTop = lastView.scroll * (el.scrollHeight - el.clientHeight);
    }, 150);
    return () => clearTimeout(t);
  }, [lastView, presenting, following, location.pathname, navigate]);

  return { session, attendees, presenting, following, setFollowing };
}
