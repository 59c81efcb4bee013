/**
 * The durability target (DESIGN.md section 3): after `kill -9` of the server, a restarted server holds
 * every update that any other client had received. The server runs as a real child process
 * (`node server/dist/main.js`), killed with SIGKILL mid-typing and restarted on the same DATA_DIR.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { loginAs } from '../helpers/http.js';
import { connect, synced } from '../helpers/yjs.js';

const MAIN = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));
// The journal's own writer, to leave the file a server killed between its write and the commit leaves.
const JOURNAL: string = new URL('../../../server/dist/collab/updateJournal.js', import.meta.url).href;
interface JournalModule {
  UpdateJournal: {
    open(file: string, appliedSeq: number): { journal: { append(entries: { docId: string; data: Uint8Array; author: undefined }[]): unknown[]; close(): void } | undefined };
  };
}

/** Starts `node server/dist/main.js` and resolves with its URL once it listens. */
function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!.replace('localhost', '127.0.0.1') });
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

/** True when `have` contains every (client, clock) of `need`. */
function covers(have: Map<number, number>, need: Map<number, number>): boolean {
  return [...need].every(([client, clock]) => (have.get(client) ?? 0) >= clock);
}

describe('collab: durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-kill9-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a restarted server has every update another client had received before kill -9', async () => {
    const first = await startChild(dataDir);
    children.push(first.child);
    const alice = await loginAs(first.url, 'alice');
    const ben = await loginAs(first.url, 'ben');
    const { body: ws } = await alice.get('/api/workspaces');
    const note = await alice.post(`/api/workspaces/${ws.workspaces[0].id}/notes`, { title: 'kill -9' });
    const writer = connect(first, note.body.docId, alice);
    const watcher = connect(first, note.body.docId, ben);
    await Promise.all([synced(writer), synced(watcher)]);

    // Type continuously, as several people pasting would, and kill the server in the middle of it.
    let typed = 0;
    const typing = setInterval(() => {
      for (let i = 0; i < 5; i++) writer.text.insert(writer.text.length, `w${typed++} `);
    }, 2);
    await new Promise((r) => setTimeout(r, 800));
    const watcherClosed = new Promise<void>((resolve) => watcher.provider.once('connection-close', () => resolve()));
    first.child.kill('SIGKILL');
    await watcherClosed;
    clearInterval(typing);
    // What the other client had received, frozen before anyone could resend it to a new server.
    const received = Y.decodeStateVector(Y.encodeStateVector(watcher.doc));
    const receivedText = watcher.text.toString();
    writer.provider.destroy();
    watcher.provider.destroy();
    expect(receivedText.length).toBeGreaterThan(100);

    const second = await startChild(dataDir);
    children.push(second.child);
    const reader = connect(second, note.body.docId, await loginAs(second.url, 'liga'));
    await synced(reader);
    const stored = Y.decodeStateVector(Y.encodeStateVector(reader.doc));
    console.log(
      `typed ${typed} words; the other client had received ${receivedText.split(' ').length - 1}; the restarted server holds ${reader.text.toString().split(' ').length - 1}`,
    );
    expect(covers(stored, received)).toBe(true);
    expect(reader.text.toString().startsWith(receivedText)).toBe(true);
    reader.destroy();
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  });

  it('a server stores at start what its update journal holds beyond the database, before clients sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huntroom-journal-'));
    try {
      const first = await startChild(dir);
      children.push(first.child);
      const alice = await loginAs(first.url, 'alice');
      const { body: ws } = await alice.get('/api/workspaces');
      const note = await alice.post(`/api/workspaces/${ws.workspaces[0].id}/notes`, { title: 'journal' });
      // A second server on the same data directory is refused while the first runs.
      await expect(startChild(dir)).rejects.toThrow(new RegExp(`in use by another Huntroom server \\(pid ${first.child.pid}\\)`));
      first.child.kill('SIGTERM');
      await new Promise((r) => first.child.once('exit', r));

      // The journal of a server killed after writing an update to it and before committing it.
      const typed = new Y.Doc();
      typed.getText('t').insert(0, 'only in the journal');
      const { UpdateJournal } = (await import(JOURNAL)) as JournalModule;
      const { journal } = UpdateJournal.open(join(dir, 'huntroom.updates'), 1_000_000);
      if (!journal) throw new Error('native/mapShared.c was not built');
      journal.append([{ docId: note.body.docId as string, data: Y.encodeStateAsUpdate(typed), author: undefined }]);
      journal.close();

      const second = await startChild(dir);
      children.push(second.child);
      const reader = connect(second, note.body.docId, await loginAs(second.url, 'ben'));
      await synced(reader);
      expect(reader.text.toString()).toBe('only in the journal');
      reader.destroy();
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
