/**
 * Graceful shutdown (DESIGN.md section 7): documents are flushed, and clients are closed with
 * 1012 "server restarting", which y-websocket answers by reconnecting; a node started on the same
 * data finds everything.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { startHuntroom } from '@huntroom/server';
import { CLOSE_CODES } from '@huntroom/shared';
import { loginAs } from '../helpers/http.js';
import { connect, startCollabServer, synced } from '../helpers/yjs.js';

describe('collab: shutdown', () => {
  let dataDir = '';
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('closes clients with 1012 after flushing, and a new node has the content', async () => {
    const first = await startCollabServer({ unloadDelayMs: 60_000 });
    dataDir = first.dataDir;
    const alice = await loginAs(first.url, 'alice');
    const id = (await alice.post(`/api/workspaces/${first.demo!.workspaceId}/notes`, { title: 'shutdown' })).body.id;
    const c = connect(first, id, alice);
    await synced(c);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => c.provider.once('connection-close', (e) => resolve({ code: e?.code ?? 0, reason: e?.reason ?? '' })));
    for (let i = 0; i < 100; i++) c.text.insert(c.text.length, `${i},`);
    await new Promise((r) => setTimeout(r, 50));
    expect(((await (await fetch(`${first.url}/healthz`)).json()) as { openDocuments: number }).openDocuments).toBe(1);
    const expected = c.text.toString();
    await first.close();
    expect(await closed).toEqual({ code: CLOSE_CODES.serverRestarting, reason: 'server restarting' });
    c.destroy();

    const second = await startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
    try {
      const reader = connect(second, id, await loginAs(second.url, 'ben'));
      await synced(reader);
      expect(reader.text.toString()).toBe(expected);
      reader.destroy();
    } finally {
      await second.close();
    }
  });
});
