/**
 * The two instances every federation-docs suite runs against (one pair per file): us-cert (alice, adam)
 * and lv-cert (liga, lauris), linked, with alice's workspace "Operation Quiet Birch" shared with lv-cert.
 * `docsPair()` registers the suite's beforeAll/afterAll and returns the pair, whose fields are set once
 * the beforeAll ran; a suite that restarts lv-cert sets `lvNode` so the afterAll closes the running one.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { StartOptions } from '@huntroom/server';
import { makeWorkspace } from './foundation.js';
import { linkNations, loginOn, shareWorkspace, startNation, type Nation } from './federation.js';
import type { ApiClient } from './http.js';
import type { Client } from './yjs.js';

export interface DocsPair {
  us: Nation;
  lv: Nation;
  /** lv-cert's running node (replaced when a test restarts it on the same data). */
  lvNode: Nation;
  alice: ApiClient;
  liga: ApiClient;
  /** The shared workspace (its id, the same on both instances). */
  ws: string;
  /** Keeps a client to destroy after the suite. */
  open: <C extends Client>(c: C) => C;
  /** A note alice makes on us-cert in the shared workspace; its id. */
  createNote: (title: string, releasableTo: string[], tlp?: string) => Promise<string>;
  /** The shared workspace's notes as liga sees them on lv-cert. */
  lvNotes: () => Promise<{ id: string; title: string }[]>;
}

/** `us`: start options of us-cert (its document server limits, say). */
export function docsPair(options: { us?: Omit<StartOptions, 'env'> } = {}): DocsPair {
  const clients: Client[] = [];
  const pair = {
    open: <C extends Client>(c: C): C => {
      clients.push(c);
      return c;
    },
    createNote: async (title: string, releasableTo: string[], tlp = 'AMBER'): Promise<string> => {
      const r = await pair.alice.post<{ id: string }>(`/api/workspaces/${pair.ws}/notes`, { title, marking: { tlp, releasableTo } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id;
    },
    lvNotes: async (): Promise<{ id: string; title: string }[]> => {
      const r = await pair.liga.get<{ notes: { id: string; title: string }[] }>(`/api/workspaces/${pair.ws}/notes`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.notes;
    },
  } as DocsPair;

  beforeAll(async () => {
    const [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice', 'adam'], {}, options.us ?? {}), startNation('lv-cert', 'LV', ['liga', 'lauris'])]);
    Object.assign(pair, { us, lv, lvNode: lv });
    await linkNations(us, lv);
    pair.alice = await loginOn(us, 'alice');
    pair.ws = await makeWorkspace(pair.alice, 'Operation Quiet Birch');
    await shareWorkspace(us, lv, pair.ws);
    pair.liga = await loginOn(lv, 'liga');
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await pair.us?.stop();
    if (pair.lvNode && pair.lvNode !== pair.lv) await pair.lvNode.close();
    await pair.lv?.stop();
  });
  return pair;
}
