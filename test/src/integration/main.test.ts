/**
 * The real `node server/dist/main.js` process: starts on the port it is given, prints how to log in,
 * serves the API, and on SIGTERM tells socket.io clients it is restarting and exits 0 promptly,
 * with everything it accepted still there for the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../helpers/http.js';
import { connectSocket } from '../helpers/foundation.js';
import { freePort, spawnNode, waitForHttp, type Spawned } from '../helpers/processes.js';

describe('the server process', () => {
  let dataDir: string;
  let proc: Spawned | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'huntroom-main-'));
  });
  afterEach(() => {
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    proc = undefined;
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function boot(): Promise<string> {
    const port = await freePort();
    proc = spawnNode('main.js', { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, 20_000, () => proc!.child.exitCode === null);
    return url;
  }

  it('starts, serves the demo, and exits 0 promptly on SIGTERM after telling socket clients to reconnect', async () => {
    const url = await boot();
    expect(proc!.output()).toContain(`Huntroom is running at ${url}`);
    expect(proc!.output()).toMatch(/alice\s+team US/);
    const alice = await loginAs(url, 'alice');
    const created = await alice.post('/api/workspaces', { name: 'survives a restart' });
    expect(created.status).toBe(201);

    const socket = await connectSocket(url, { cookie: alice.cookie });
    const restarting = new Promise<unknown>((resolve) => socket.once('server:restarting', resolve));
    const t0 = Date.now();
    proc!.child.kill('SIGTERM');
    const exit = await proc!.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await restarting).toEqual({ reason: 'server restarting' });
    socket.disconnect();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    // A new start on the same data: no second demo, the session and the workspace are still there.
    const again = await boot();
    expect(proc!.output()).not.toContain('A demo workspace was created');
    const me = await fetch(`${again}/api/me`, { headers: { cookie: alice.cookie! } });
    expect(me.status).toBe(200);
    const list = await loginAs(again, 'alice').then((c) => c.get('/api/workspaces'));
    expect(list.body.workspaces.map((w: { name: string }) => w.name)).toContain('survives a restart');
    proc!.child.kill('SIGINT');
    expect(await proc!.exited).toEqual({ code: 0, signal: null });
  });

  it('exits 0 on SIGTERM while requests are in flight', async () => {
    const url = await boot();
    const alice = await loginAs(url, 'alice');
    const inflight = Array.from({ length: 20 }, () => alice.get('/api/workspaces').catch(() => undefined));
    proc!.child.kill('SIGTERM');
    await Promise.all(inflight);
    const t0 = Date.now();
    expect(await proc!.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
