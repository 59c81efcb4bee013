/**
 * Federation links between two real instances (issue 20, first step): the operators' CLI on each side,
 * the clock-free handshake over the link socket, and what suspending, rotating and removing do to a live
 * link. Nothing crosses a link yet; what is tested is who may connect at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/yjs.js';

const { runCommand } = await import('../../../server/dist/cli/commands.js');
const { generateKeyPair } = await import('../../../server/dist/federation/keys.js');

const FAST = { pollMs: 100, retryMinMs: 100, retryMaxMs: 400, maxPendingHandshakes: 3 };
const cli = (node: TestServer, ...argv: string[]) => runCommand(node.ctx.db, argv, { stdin: Readable.from([]), stdout: new PassThrough() });
interface LinkView {
  name: string;
  state: string;
  lastConnectedAt: string | null;
  lastError: string | null;
}
const linkOf = async (node: TestServer, name: string) => (JSON.parse(await cli(node, 'federation', 'link', 'list', '--json')) as LinkView[]).find((l) => l.name === name);
const identityOf = async (node: TestServer, name: string) => JSON.parse(await cli(node, 'federation', 'identity', '--name', name, '--url', node.url)) as { publicKey: string };
const up = (node: TestServer) => node.federation.connected();

describe('federation links between two instances', () => {
  let us: TestServer;
  let lv: TestServer;
  let usKey: string;
  let lvKey: string;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startTestServer({}, { federation: FAST }), startTestServer({}, { federation: FAST })]);
    // lv-cert sorts first, so LV dials and US accepts.
    usKey = (await identityOf(us, 'us-cert')).publicKey;
    lvKey = (await identityOf(lv, 'lv-cert')).publicKey;
  });
  afterAll(async () => {
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it('connects only once both operators have added the link, and says why not before', async () => {
    await cli(lv, 'federation', 'link', 'add', '--name', 'us-cert', '--url', us.url, '--teams', 'USX', '--key', usKey);
    await eventually(async () => expect((await linkOf(lv, 'us-cert'))?.lastError).toMatch(/no active link for lv-cert here/));
    expect(up(lv)).toEqual([]);
    expect(up(us)).toEqual([]);

    await cli(us, 'federation', 'link', 'add', '--name', 'lv-cert', '--url', lv.url, '--teams', 'LVX', '--key', lvKey);
    await eventually(() => {
      expect(up(lv)).toEqual(['us-cert']);
      expect(up(us)).toEqual(['lv-cert']);
    });
    await eventually(async () => {
      expect(await linkOf(lv, 'us-cert')).toMatchObject({ lastError: null, lastConnectedAt: expect.any(String) as unknown });
      expect(await linkOf(us, 'lv-cert')).toMatchObject({ lastError: null, lastConnectedAt: expect.any(String) as unknown });
    });
  });

  it('drops the session when the accepting operator installs another key, and refuses the old key until it is put back', async () => {
    await cli(us, 'federation', 'link', 'rotate', '--name', 'lv-cert', '--key', generateKeyPair().publicKey);
    await eventually(async () => {
      expect(up(us)).toEqual([]);
      expect((await linkOf(lv, 'us-cert'))?.lastError).toMatch(/lv-cert did not prove it holds the key installed for it/);
      expect((await linkOf(us, 'lv-cert'))?.lastError).toMatch(/refused lv-cert: lv-cert did not prove/);
    });
    expect(up(lv)).toEqual([]);
    await cli(us, 'federation', 'link', 'rotate', '--name', 'lv-cert', '--key', lvKey);
    await eventually(() => expect(up(us)).toEqual(['lv-cert']));
  });

  it('lets the dialer refuse an impostor: a peer that does not hold the key its operator installed', async () => {
    await cli(lv, 'federation', 'link', 'rotate', '--name', 'us-cert', '--key', generateKeyPair().publicKey);
    await eventually(async () => {
      expect((await linkOf(lv, 'us-cert'))?.lastError).toMatch(/us-cert did not prove it holds the key installed for it/);
      expect(up(us)).toEqual([]);
    });
    await cli(lv, 'federation', 'link', 'rotate', '--name', 'us-cert', '--key', usKey);
    await eventually(() => expect(up(lv)).toEqual(['us-cert']));
  });

  it("an operator's own key rotation ends the live session; the link is back once the peer installs the new key", async () => {
    const lvBefore = up(lv);
    expect(lvBefore).toEqual(['us-cert']);
    // us-cert accepts (lv-cert dials): rotating the accepting side must still drop the session it holds.
    const rotated = JSON.parse(await cli(us, 'federation', 'identity', 'rotate')) as { publicKey: string };
    expect(rotated.publicKey).not.toBe(usKey);
    await eventually(async () => {
      expect(up(us)).toEqual([]);
      expect(up(lv)).toEqual([]);
      // lv-cert still expects the old key, so us-cert's new signature does not prove it: down, with why.
      expect((await linkOf(lv, 'us-cert'))?.lastError).toMatch(/us-cert did not prove it holds the key installed for it/);
    });
    // The old key is of no use any more: it is not what us-cert signs with.
    expect(up(lv)).toEqual([]);
    await cli(lv, 'federation', 'link', 'rotate', '--name', 'us-cert', '--key', rotated.publicKey);
    await eventually(() => {
      expect(up(lv)).toEqual(['us-cert']);
      expect(up(us)).toEqual(['lv-cert']);
    });
    usKey = rotated.publicKey;
  });

  it('a suspension on either side ends the session at once and keeps it down until resumed', async () => {
    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(async () => {
      expect(up(us)).toEqual([]);
      expect(up(lv)).toEqual([]);
      expect((await linkOf(lv, 'us-cert'))?.lastError).toMatch(/link suspended|no active link for lv-cert here/);
    });
    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(() => expect(up(lv)).toEqual(['us-cert']));

    await cli(lv, 'federation', 'link', 'suspend', '--name', 'us-cert');
    await eventually(() => {
      expect(up(lv)).toEqual([]);
      expect(up(us)).toEqual([]);
    });
    await cli(lv, 'federation', 'link', 'resume', '--name', 'us-cert');
    await eventually(() => expect(up(us)).toEqual(['lv-cert']));
  });

  it('closes a socket that does not speak the protocol, and one that never finishes the handshake', async () => {
    const raw = (first?: string) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${us.url.replace('http', 'ws')}/federation/v1/link`);
        ws.on('open', () => first !== undefined && ws.send(first));
        ws.on('close', (code) => resolve(code));
        ws.on('error', reject);
      });
    expect(await raw('{"type":"proof","proof":"x"}')).toBe(4400);
    expect(await raw('not json')).toBe(4400);
    expect(await raw(JSON.stringify({ type: 'hello', v: 1, from: 'nobody', nonce: 'n'.repeat(43) }))).toBe(4403);
    expect(await raw()).toBe(4408);
    // The real link is untouched by all of it.
    expect(up(us)).toEqual(['lv-cert']);
  });

  it('refuses an unauthenticated flood past the pending-handshake cap with 503, and takes sockets again once they are gone', async () => {
    const url = `${us.url.replace('http', 'ws')}/federation/v1/link`;
    const opened = (ws: WebSocket) =>
      new Promise<number | 'open'>((resolve) => {
        ws.once('open', () => resolve('open'));
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => undefined);
      });
    const silent = [new WebSocket(url), new WebSocket(url), new WebSocket(url)];
    expect(await Promise.all(silent.map(opened))).toEqual(['open', 'open', 'open']);
    const extra = new WebSocket(url);
    expect(await opened(extra)).toBe(503);
    // The live link was never pending, so it is untouched.
    expect(up(us)).toEqual(['lv-cert']);
    await Promise.all(silent.map((ws) => new Promise((resolve) => (ws.once('close', resolve), ws.close()))));
    await eventually(async () => {
      const again = new WebSocket(url);
      const outcome = await opened(again);
      again.terminate();
      expect(outcome).toBe('open');
    });
  });

  it('removing the link ends it for good', async () => {
    await cli(lv, 'federation', 'link', 'remove', '--name', 'us-cert');
    await eventually(() => {
      expect(up(lv)).toEqual([]);
      expect(up(us)).toEqual([]);
    });
  });
});
