/**
 * The one socket.io connection of the record plane, shared by every feature. Websocket transport
 * only: no long-polling, so a load balancer needs no sticky sessions. Its state drives the header's
 * connection indicator; a 'server:restarting' notice is answered by reconnecting.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@huntroom/shared';
import { connection } from './connection.js';

export type HuntroomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: HuntroomSocket | undefined;

/** The socket, created and connected on first use (after login: the handshake needs the cookie). */
export function getSocket(): HuntroomSocket {
  if (socket) return socket;
  const s: HuntroomSocket = io({ path: '/socket.io', transports: ['websocket'], withCredentials: true });
  connection.setLink('connecting');
  s.on('connect', () => connection.setLink('online'));
  s.on('disconnect', () => connection.setLink(navigator.onLine ? 'connecting' : 'offline'));
  s.on('connect_error', () => connection.setLink(navigator.onLine ? 'connecting' : 'offline'));
  s.on('server:restarting', () => connection.setLink('connecting'));
  socket = s;
  return s;
}

/** On logout: the next login opens a socket with the new session's cookie. */
export function closeSocket(): void {
  socket?.disconnect();
  socket = undefined;
  connection.setLink('connecting');
}

// The browser's own offline signal is faster than socket.io's ping timeout: act on it at once.
window.addEventListener('offline', () => {
  socket?.disconnect();
  connection.setLink('offline');
});
window.addEventListener('online', () => {
  socket?.connect();
  connection.setLink(socket?.connected ? 'online' : 'connecting');
});
