/**
 * What the hunt browser suites share: a page opened on a hunt screen once the record socket is online,
 * and a real socket.io client per user to set the scene with commands (the path the app itself uses).
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { loginAs } from './http.js';
import { loginInBrowser, type browserSuite } from './browser.js';

export function huntBrowser(suite: ReturnType<typeof browserSuite>, idPrefix: string, ackTimeoutMs = 60_000) {
  const ws = () => suite.server.demo!.workspaceId;
  let n = 0;
  return {
    ws,
    /** `path` below `/w/<ws>/hunt`, e.g. `/timeline`. */
    open: async (username: string, path: string): Promise<Page> => {
      const { page } = await suite.newPage();
      await loginInBrowser(page, username);
      await page.goto(`/w/${ws()}/hunt${path}`);
      await expect.poll(() => page.getByTestId('connection-indicator').getAttribute('data-state')).toBe('online');
      return page;
    },
    socketOf: async (username: string): Promise<Socket> => {
      const api = await loginAs(suite.server.url, username);
      const socket = io(suite.server.url, { transports: ['websocket'], extraHeaders: { cookie: api.cookie! } });
      await new Promise<void>((r) => socket.once('connect', () => r()));
      return socket;
    },
    /** Runs a record command in the demo workspace and returns its data, or throws with the refusal. */
    command: async <T>(socket: Socket, type: string, payload: Record<string, unknown>): Promise<T> => {
      const ack = (await socket.timeout(ackTimeoutMs).emitWithAck(type, { id: `${idPrefix}-${Date.now()}-${n++}`, payload: { workspaceId: ws(), ...payload } })) as {
        ok: boolean;
        data: T;
        error?: unknown;
      };
      if (!ack.ok) throw new Error(`${type}: ${JSON.stringify(ack.error)}`);
      return ack.data;
    },
  };
}
