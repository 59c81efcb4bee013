/**
 * ATT&CK marks across two real instances (issue 20 item 4, server/src/federation/attack/): each side's
 * board shows its own marks and the peer's, live both ways, from the share's baseline on; a mark of a
 * team homed on the other side changed by an owner of the workspace at its home is taken by that
 * team's instance, and the same claim from a replica, for a workspace not shared, for an author of
 * another team, or an edit by a non-owner, is refused, audited and answered with the home's value; a
 * cleared mark and a board narrowed out of LV's sight leave lv-cert's board; a hostile peer writing
 * marks of a team its link does not speak for is refused and audited; marks made while the link was
 * down arrive once after it; and a board LV may not see never sends a byte of its marks to lv-cert's
 * database files or liga's socket frames.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { MARKS_MAP, markKey, type Mark } from '@huntroom/shared';
import { eventually, makeWorkspace, uniq } from '../helpers/foundation.js';
import { cli, linkNations, loginOn, shareWorkspace, startNation, type Nation } from '../helpers/federation.js';
import { count, dataBytes, recordingClient, storedDoc } from '../helpers/federationData.js';
import type { ApiClient } from '../helpers/http.js';
import { connect, synced, type Client } from '../helpers/yjs.js';

const mark = (techniqueId: string, team: string, status: Mark['status'], comment?: string): Mark => ({ techniqueId, team, status, ...(comment ? { comment } : {}) });
const marksOf = (doc: Y.Doc): Record<string, Mark> => doc.getMap(MARKS_MAP).toJSON();
const set = (c: Client, m: Mark): void => void c.doc.getMap(MARKS_MAP).set(markKey(m.techniqueId, m.team), m);
const clear = (c: Client, key: string): void => void c.doc.getMap(MARKS_MAP).delete(key);
const stored = (n: Nation, docId: string): Promise<Record<string, Mark>> => storedDoc(n, docId, marksOf);
const refusals = (n: Nation): Promise<number> => count(n, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", []);

describe('ATT&CK marks across instances', () => {
  let us: Nation;
  let lv: Nation;
  let alice: ApiClient;
  let liga: ApiClient;
  let ws: string;
  let board: string;
  let a: Client;
  let l: Client & { frames: Buffer[] };

  const openBoard = async (as: ApiClient, workspaceId: string): Promise<string> => {
    const r = await as.get<{ docId: string }>(`/api/workspaces/${workspaceId}/attack/board`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.docId;
  };

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice', 'adam']), startNation('lv-cert', 'LV', ['liga', 'lauris'])]);
    await linkNations(us, lv);
    alice = await loginOn(us, 'alice');
    ws = await makeWorkspace(alice, 'Operation Amber Lynx');
    board = await openBoard(alice, ws);
    a = connect(us, board, alice);
    await synced(a);
  }, 90_000);
  afterAll(async () => {
    a?.destroy();
    l?.destroy();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it("sends the board's marks when the share becomes active, and marks cross live both ways", async () => {
    set(a, mark('T1059', 'US', 'observed', 'powershell on dc01'));
    await eventually(async () => expect((await stored(us, board))['T1059|US']).toBeDefined(), 20_000);
    await shareWorkspace(us, lv, ws, { members: ['liga'] });
    liga = await loginOn(lv, 'liga');
    // The replica's board has the home's id, as every shared item does.
    expect(await openBoard(liga, ws)).toBe(board);
    l = recordingClient(lv, board, liga);
    await synced(l);
    await eventually(() => expect(marksOf(l.doc)['T1059|US']).toMatchObject({ status: 'observed', comment: 'powershell on dc01' }), 20_000);

    set(a, mark('T1071', 'US', 'suspected'));
    await eventually(() => expect(marksOf(l.doc)['T1071|US']).toMatchObject({ status: 'suspected' }), 20_000);
    set(l, mark('T1003', 'LV', 'observed', 'lsass dump at the ministry'));
    await eventually(() => expect(marksOf(a.doc)['T1003|LV']).toMatchObject({ status: 'observed', comment: 'lsass dump at the ministry' }), 20_000);
    // Stored on both sides, each once: the home's row and the replica's.
    expect((await stored(us, board))['T1003|LV']).toMatchObject({ status: 'observed' });
    expect((await stored(lv, board))['T1071|US']).toMatchObject({ status: 'suspected' });
    // Both sides audit the crossing, naming the marks.
    const sent = await lv.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.sent'");
    expect(sent.some((r) => (JSON.parse(r.detail) as { marks?: string[] }).marks?.includes('T1003|LV'))).toBe(true);
    expect(await count(us, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.received' AND detail LIKE ?", ['%T1003|LV%'])).toBe(1);
  }, 90_000);

  it("follows a cleared mark, and an owner's change of LV's mark at the workspace's home is taken by lv-cert", async () => {
    clear(a, 'T1071|US');
    await eventually(() => expect(marksOf(l.doc)['T1071|US']).toBeUndefined(), 20_000);
    expect((await stored(lv, board))['T1071|US']).toBeUndefined();

    const before = await refusals(lv);
    // alice owns the workspace at its home: us-cert vouches for her, and lv-cert takes her edit as it
    // would take a local owner's.
    set(a, mark('T1003', 'LV', 'not-found', 'corrected by an owner at us-cert'));
    await eventually(() => expect(marksOf(l.doc)['T1003|LV']).toMatchObject({ status: 'not-found', comment: 'corrected by an owner at us-cert' }), 20_000);
    expect((await stored(lv, board))['T1003|LV']).toMatchObject({ status: 'not-found' });
    expect(marksOf(a.doc)['T1003|LV']).toMatchObject({ status: 'not-found' });
    expect(await refusals(lv)).toBe(before);
    // Audited at lv-cert with its author, the remote account alice@us-cert.
    const aliceId = (await us.ctx.db.get<{ id: string }>("SELECT id FROM accounts WHERE username = 'alice'"))!.id;
    const received = await lv.ctx.db.all<{ actor_id: string; detail: string }>("SELECT actor_id, detail FROM audit_log WHERE action = 'federation.received' AND detail LIKE ?", [
      '%authorIsOwner%',
    ]);
    expect(received.map((r) => [r.actor_id, (JSON.parse(r.detail) as { marks: string[] }).marks])).toEqual([[aliceId, ['T1003|LV']]]);
  }, 60_000);

  it("takes an owner's word only from the workspace's home, for a shared workspace, an author of its team, and an owner", async () => {
    const userOf = async (n: Nation, username: string) => {
      const r = (await n.ctx.db.get<{ id: string; display_name: string; team_id: string }>('SELECT id, display_name, team_id FROM accounts WHERE username = ?', [username]))!;
      return { id: r.id, username, displayName: r.display_name, teamId: r.team_id };
    };
    // adam hunts in the workspace at us-cert: a member, not an owner.
    expect((await alice.post(`/api/workspaces/${ws}/members`, { username: 'adam', role: 'hunter' })).status).toBe(201);
    const notShared = await makeWorkspace(alice, 'Operation Quiet Pine');
    const forged = (key: string, team: string) => ({ key, mark: mark(key.slice(0, 5), team, 'not-found', 'forged owner edit') });
    const lvMark = forged('T1003|LV', 'LV');
    const sentBack = (n: Nation, key: string) =>
      count(n, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.sent' AND detail LIKE '%\"baseline\":true%' AND detail LIKE ?", [`%${key}%`]);
    const enqueue = async (from: Nation, to: string, bodies: unknown[]) => {
      const bus = from.ctx.federation!;
      await from.ctx.db.transaction(async (tx) => {
        for (const body of bodies) await bus.enqueue(tx, to, 'attack.marks', body);
      });
      bus.flush(to);
    };
    const [usBefore, lvBefore, usBack, lvBack] = [await refusals(us), await refusals(lv), await sentBack(us, 'T1059|US'), await sentBack(lv, 'T1003|LV')];

    // lv-cert holds a replica of the workspace: its word on who owns it is not taken.
    await enqueue(lv, 'us-cert', [{ workspaceId: ws, author: await userOf(lv, 'liga'), authorIsOwner: true, marks: [forged('T1059|US', 'US')] }]);
    const aliceDesc = await userOf(us, 'alice');
    await enqueue(us, 'lv-cert', [
      // The workspace's home vouching for an owner of a workspace it never shared with lv-cert.
      { workspaceId: notShared, author: aliceDesc, authorIsOwner: true, marks: [lvMark] },
      // An "owner" of a team us-cert's link does not speak for (LV's own team).
      {
        workspaceId: ws,
        author: { id: '6f7a1c2e-0000-4000-8000-00000000a11e', username: 'mallory', displayName: 'Mallory', teamId: (await userOf(lv, 'liga')).teamId },
        authorIsOwner: true,
        marks: [lvMark],
      },
      // A member who is not an owner: no vouch, so refused as before.
      { workspaceId: ws, author: await userOf(us, 'adam'), marks: [lvMark] },
      // An owner's edit naming a mark of a team neither instance is home of.
      { workspaceId: ws, author: aliceDesc, authorIsOwner: true, marks: [lvMark, forged('T1110|ZZ', 'ZZ')] },
    ]);
    await eventually(async () => {
      expect(await refusals(us)).toBe(usBefore + 1);
      expect(await refusals(lv)).toBe(lvBefore + 4);
    }, 20_000);
    // Each refused message that named the receiver's own marks was answered with its values (not the
    // one for a workspace not shared with that link: its board is not the link's to see).
    await eventually(async () => {
      expect(await sentBack(us, 'T1059|US')).toBe(usBack + 1);
      expect(await sentBack(lv, 'T1003|LV')).toBe(lvBack + 3);
    }, 20_000);
    expect((await stored(lv, board))['T1003|LV']).toMatchObject({ status: 'not-found', comment: 'corrected by an owner at us-cert' });
    expect((await stored(us, board))['T1059|US']).toMatchObject({ status: 'observed', comment: 'powershell on dc01' });
    expect((await stored(lv, board))['T1110|ZZ']).toBeUndefined();
    expect(await count(lv, "SELECT COUNT(*) AS n FROM accounts WHERE username LIKE 'mallory%'", [])).toBe(0);
    const reasons = (await lv.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused' ORDER BY rowid DESC LIMIT 4")).map((r) =>
      String((JSON.parse(r.detail) as { reason: string }).reason),
    );
    expect(reasons.join('\n')).toMatch(/not shared with us-cert/);
    expect(reasons.join('\n')).toMatch(/a team it does not speak for/);
    expect(reasons.join('\n')).toMatch(/not LV/);
    expect(reasons.join('\n')).toMatch(/not ZZ/);
    const usReason = (await us.ctx.db.get<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused' ORDER BY rowid DESC LIMIT 1"))!.detail;
    expect(usReason).toMatch(/lv-cert is not the home of workspace/);

    // An owner's real edit still crosses after all that: the link goes on.
    set(a, mark('T1003', 'LV', 'observed', 'lsass dump at the ministry'));
    await eventually(() => expect(marksOf(l.doc)['T1003|LV']).toMatchObject({ status: 'observed', comment: 'lsass dump at the ministry' }), 20_000);
  }, 90_000);

  it("refuses and audits a peer's marks of a team its link does not speak for, and the link goes on", async () => {
    const hostile = (marks: unknown[]) => ({ workspaceId: ws, author: null, marks });
    const crafted = [
      // lv-cert writing us-cert's own team's mark.
      hostile([{ key: 'T1059|US', mark: mark('T1059', 'US', 'not-found', 'forged by lv-cert') }]),
      // A team nobody's link names, beside one of its own (refused as a whole).
      hostile([
        { key: 'T1110|LV', mark: mark('T1110', 'LV', 'observed') },
        { key: 'T1110|ZZ', mark: mark('T1110', 'ZZ', 'observed') },
      ]),
      // A value that is another team's mark than its key says.
      hostile([{ key: 'T1111|LV', mark: mark('T1111', 'US', 'observed') }]),
      // Not shared with lv-cert.
      { ...hostile([{ key: 'T1112|LV', mark: mark('T1112', 'LV', 'observed') }]), workspaceId: '00000000-0000-4000-8000-000000000000' },
      // Only the workspace's home re-marks or revokes its board.
      { workspaceId: ws, marking: { tlp: 'CLEAR', releasableTo: [] } },
      { workspaceId: ws },
    ];
    const types = ['attack.marks', 'attack.marks', 'attack.marks', 'attack.marks', 'attack.board', 'attack.revoke'];
    const before = await refusals(us);
    const bus = lv.ctx.federation!;
    await lv.ctx.db.transaction(async (tx) => {
      for (const [i, body] of crafted.entries()) await bus.enqueue(tx, 'us-cert', types[i]!, body);
    });
    bus.flush('us-cert');
    await eventually(async () => expect(await refusals(us)).toBe(before + crafted.length), 20_000);
    const onUs = await stored(us, board);
    expect(onUs['T1059|US']).toMatchObject({ status: 'observed', comment: 'powershell on dc01' });
    for (const k of ['T1110|LV', 'T1110|ZZ', 'T1111|LV', 'T1112|LV']) expect(onUs[k], k).toBeUndefined();
    expect(marksOf(a.doc)['T1059|US']).toMatchObject({ status: 'observed' });
    const boardRow = await us.ctx.db.get<{ tlp: string }>('SELECT tlp FROM documents WHERE id = ?', [board]);
    expect(boardRow?.tlp).toBe('AMBER');
    // us-cert answered the forged US mark with its own value: lv-cert holds what us-cert does.
    await eventually(async () => expect((await stored(lv, board))['T1059|US']).toMatchObject({ status: 'observed', comment: 'powershell on dc01' }), 20_000);
    // The link is up and a real mark still crosses.
    set(l, mark('T1566', 'LV', 'suspected'));
    await eventually(() => expect(marksOf(a.doc)['T1566|LV']).toMatchObject({ status: 'suspected' }), 20_000);
  }, 60_000);

  it("takes the home's marks away from lv-cert when the board narrows out of LV's sight, and brings them back when it widens", async () => {
    const narrowed = await alice.patch(`/api/workspaces/${ws}/attack/board`, { marking: { tlp: 'RED', releasableTo: ['US'] } });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(200);
    await eventually(() => expect(Object.keys(marksOf(l.doc)).filter((k) => k.endsWith('|US'))).toEqual([]), 20_000);
    expect(Object.keys(await stored(lv, board)).filter((k) => k.endsWith('|US'))).toEqual([]);
    // LV's own marks stay on its board, and still reach the workspace's home.
    expect(marksOf(l.doc)['T1003|LV']).toBeDefined();
    set(l, mark('T1021', 'LV', 'observed'));
    await eventually(() => expect(marksOf(a.doc)['T1021|LV']).toBeDefined(), 20_000);
    // A replica's board is re-marked at the workspace's home only.
    expect((await liga.patch(`/api/workspaces/${ws}/attack/board`, { marking: { tlp: 'CLEAR', releasableTo: [] } })).status).toBe(403);

    const widened = await alice.patch(`/api/workspaces/${ws}/attack/board`, { marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(widened.status, JSON.stringify(widened.body)).toBe(200);
    await eventually(() => expect(marksOf(l.doc)['T1059|US']).toMatchObject({ status: 'observed' }), 20_000);
    const onLv = await lv.ctx.db.get<{ tlp: string }>('SELECT tlp FROM documents WHERE id = ?', [board]);
    expect(onLv?.tlp).toBe('AMBER');
  }, 60_000);

  it('catches up after the link was suspended and resumed, both ways, nothing applied twice', async () => {
    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    set(a, mark('T1105', 'US', 'observed', 'while the link was down'));
    set(l, mark('T1486', 'LV', 'suspected', 'while the link was down'));
    await eventually(async () => {
      expect((await stored(us, board))['T1105|US']).toBeDefined();
      expect((await stored(lv, board))['T1486|LV']).toBeDefined();
    }, 20_000);
    expect(marksOf(l.doc)['T1105|US']).toBeUndefined();
    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(() => {
      expect(marksOf(l.doc)['T1105|US']).toMatchObject({ status: 'observed' });
      expect(marksOf(a.doc)['T1486|LV']).toMatchObject({ status: 'suspected' });
    }, 30_000);
    // Once more down and up: replays are applied once.
    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(() => expect(lv.ctx.federation!.isUp('us-cert')).toBe(true), 30_000);
    set(a, mark('T1190', 'US', 'observed'));
    await eventually(() => expect(marksOf(l.doc)['T1190|US']).toBeDefined(), 20_000);
    expect(await count(lv, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.received' AND detail LIKE ?", ['%T1105|US%'])).toBe(1);
    expect(await count(us, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.received' AND detail LIKE ?", ['%T1486|LV%'])).toBe(1);
    // Both boards hold the same marks.
    await eventually(async () => expect(await stored(lv, board)).toEqual(await stored(us, board)), 20_000);
  }, 90_000);

  it("never lets a mark of a board LV may not see reach lv-cert's database files or liga's socket frames", async () => {
    const ws2 = await makeWorkspace(alice, 'Operation Red Heron');
    const board2 = await openBoard(alice, ws2);
    expect((await alice.patch(`/api/workspaces/${ws2}/attack/board`, { marking: { tlp: 'RED', releasableTo: ['US'] } })).status).toBe(200);
    const before = uniq('hidmark').toLowerCase();
    const after = uniq('hidmark').toLowerCase();
    const a2 = connect(us, board2, alice);
    await synced(a2);
    set(a2, mark('T1059', 'US', 'observed', `${before} before the share`));
    await eventually(async () => expect((await stored(us, board2))['T1059|US']).toBeDefined(), 20_000);
    await shareWorkspace(us, lv, ws2, { members: ['liga'] });
    const visibleAfter = async (value: string): Promise<void> => {
      // A visible item after the marks over the ordered link: once it is on lv-cert, all before it was sent.
      const r = await alice.post<{ indicator: { id: string } }>(`/api/workspaces/${ws2}/indicators`, { type: 'domain', value, tlp: 'GREEN' });
      expect(r.status).toBe(201);
      await eventually(async () => expect((await liga.get(`/api/workspaces/${ws2}/indicators/${r.body.indicator.id}`)).status).toBe(200), 20_000);
    };
    await visibleAfter('after-the-share.example');
    expect((await dataBytes(lv)).includes(before), "the share's baseline in lv-cert's files").toBe(false);
    // liga marks on her own board there; her marks reach the home, the home's never come back.
    expect(await openBoard(liga, ws2)).toBe(board2);
    const l2 = recordingClient(lv, board2, liga);
    await synced(l2);
    set(a2, mark('T1071', 'US', 'observed', `${after} after the share`));
    await eventually(async () => expect((await stored(us, board2))['T1071|US']).toBeDefined(), 20_000);
    set(l2, mark('T1003', 'LV', 'observed'));
    await eventually(() => expect(marksOf(a2.doc)['T1003|LV']).toBeDefined(), 20_000);
    await visibleAfter('after-hidden-marks.example');

    expect(Object.keys(marksOf(l2.doc))).toEqual(['T1003|LV']);
    const usBytes = await dataBytes(us);
    const lvBytes = await dataBytes(lv);
    const frames = Buffer.concat(l2.frames);
    for (const marker of [before, after]) {
      expect(usBytes.includes(marker), 'at home').toBe(true);
      expect(lvBytes.includes(marker), "in lv-cert's files").toBe(false);
      expect(frames.includes(marker), "in liga's frames").toBe(false);
    }
    const sent = await us.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.sent' AND workspace_id = ?", [ws2]);
    expect(sent.filter((r) => String((JSON.parse(r.detail) as { kind?: unknown }).kind).startsWith('attack.'))).toEqual([]);
    a2.destroy();
    l2.destroy();
  }, 90_000);
});
