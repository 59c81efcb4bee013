/**
 * The one socket.io connection of the record plane, shared by every feature. Websocket transport
 * only: no long-polling, so a load balancer needs no sticky sessions. Its state drives the header's
 * connection indicator; a 'server:restarting' notice is shown and answered by reconnecting.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@huntroom/shared';
import { ApiError, get, reportSessionLost } from './api.js';
import { connection } from './connection.js';

export type HuntroomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: HuntroomSocket | undefined;

const linkWhenDown = () => (navigator.onLine ? 'connecting' : 'offline');

/** The socket, created and connected on first use (after login: the handshake needs the cookie). */
export function getSocket(): HuntroomSocket {
  if (socket) return socket;
  const s: HuntroomSocket = io({ path: '/socket.io', transports: ['websocket'], withCredentials: true });
  let restarting = false;
  connection.setLink('connecting');
  s.on('connect', () => {
    restarting = false;
    connection.setLink('online');
  });
  s.on('disconnect', (reason) => {
    connection.setLink(linkWhenDown());
    // socket.io does not retry after the server hung up on purpose. After a restart notice, retry
    // (spread out, so a whole hunt does not reconnect in the same millisecond); otherwise the
    // session probably ended (logout in another tab, revoked): ask, and retry only if it lives.
    if (reason !== 'io server disconnect') return;
    if (restarting) setTimeout(() => s.connect(), 500 + Math.random() * 1_500);
    else void checkSession().then((alive) => alive && s.connect());
  });
  s.on('connect_error', (err) => {
    connection.setLink(linkWhenDown());
    // Refused at the handshake: if the session is gone, show the login form rather than retry forever.
    if (err.message === 'unauthenticated') void checkSession();
  });
  s.on('server:restarting', () => {
    restarting = true;
    connection.setNotice('The server is restarting. Reconnecting; your changes are kept until it is back.');
    connection.setLink('connecting');
  });
  socket = s;
  return s;
}

/** Whether the session still stands; if the server says it is gone, the app goes to the login form. */
async function checkSession(): Promise<boolean> {
  try {
    await get('/api/me');
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      reportSessionLost();
      return false;
    }
    return true;
  }
}

/** On logout: the next login opens a socket with the new session's cookie. */
export function closeSocket(): void {
  socket?.disconnect();
  socket = undefined;
  connection.setLink('connecting');
  connection.setNotice(undefined);
}

// The browser's own offline signal is faster than socket.io's ping timeout: act on it at once.
window.addEventListener('offline', () => {
  socket?.disconnect();
  connection.setLink('offline');
});
// Back online: connect now. A plain connect() is a no-op while socket.io's manager waits out a
// reconnection backoff (1 s doubling to 5 s, +-50 %: up to 7.5 s; the issue saw 5.4 s), which it is in when
// the socket saw the transport close before the browser said it was offline. disconnect() cancels
// the backoff timer and resets its delay; connect() then dials at once, as y-websocket does for notes.
window.addEventListener('online', () => {
  if (socket && !socket.connected) socket.disconnect().connect();
  connection.setLink(socket?.connected ? 'online' : 'connecting');
});
