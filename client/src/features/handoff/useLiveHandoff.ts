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
import { OPEN_PARAM } from '../../lib/useOpenItem.js';

/**
 * The area's main scroller: the element marked `data-handoff-scroll` (the indicator table, the ATT&CK
 * matrix), else the page itself (notes, lists).
 */
const scroller = (): Element => document.querySelector('[data-handoff-scroll]') ?? document.scrollingElement ?? document.documentElement;

function scrollFractions(): Pick<HandoffView, 'scroll' | 'scrollX'> {
  const el = scroller();
  const fraction = (at: number, room: number) => (room > 0 ? Math.min(1, Math.max(0, at / room)) : 0);
  return { scroll: fraction(el.scrollTop, el.scrollHeight - el.clientHeight), scrollX: fraction(el.scrollLeft, el.scrollWidth - el.clientWidth) };
}

function scrollLike(view: HandoffView) {
  const el = scroller();
  el.scrollTop = view.scroll * (el.scrollHeight - el.clientHeight);
  el.scrollLeft = (view.scrollX ?? 0) * (el.scrollWidth - el.clientWidth);
}

/** Where a follower goes: the presenter's area, with the same item open. */
const hrefOf = (view: HandoffView) => (view.item ? `${view.path}?${OPEN_PARAM}=${encodeURIComponent(view.item)}` : view.path);

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

  // Presenter: send where we are, on navigation, on opening an item, on scroll of the area's main
  // scroller (at most 5 a second) and when people join.
  const item = new URLSearchParams(location.search).get(OPEN_PARAM) ?? undefined;
  const sendTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (!sessionId || !presenting) return;
    const send = () => {
      clearTimeout(sendTimer.current);
      sendTimer.current = undefined;
      const view: HandoffView = { path: location.pathname, item, ...scrollFractions() };
      getSocket().emit('handoff:view', { sessionId, view }, () => undefined);
    };
    const onScroll = () => {
      sendTimer.current ??= setTimeout(send, 200);
    };
    send();
    // Capture: scroll events of inner scrollers do not bubble to the document.
    document.addEventListener('scroll', onScroll, { passive: true, capture: true });
    return () => {
      document.removeEventListener('scroll', onScroll, { capture: true });
      clearTimeout(sendTimer.current);
      sendTimer.current = undefined;
    };
  }, [sessionId, presenting, location.pathname, item, attendees.length]);

  // Follower: go where the presenter is (with the same item open), then scroll to the same place once
  // the page has drawn. The follower's own access decides what that page shows.
  useEffect(() => {
    if (!lastView || presenting || !following) return;
    const href = hrefOf(lastView);
    if (location.pathname + location.search !== href) navigate(href);
    const t = setTimeout(() => scrollLike(lastView), 150);
    return () => clearTimeout(t);
  }, [lastView, presenting, following, location.pathname, location.search, navigate]);

  return { session, attendees, presenting, following, setFollowing };
}
