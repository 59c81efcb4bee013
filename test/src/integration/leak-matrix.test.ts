/**
 * The leak matrix (issue: releasability). Team US marks an indicator, a comment, a note and a
 * whiteboard with every TLP level x releasable-to set ({}, {CA}, {LV}, {US}, {US, CA}); each carries a unique value.
 * Then every path that leaves the server is read as each other caller (a CA hunter, an LV hunter, a CA
 * observer, an LV guest of a live handoff) and searched byte for byte: live socket frames, the REST list and its total, search,
 * reads by id, catch-up over the socket and over REST, the notes and whiteboard lists and reads, the
 * Yjs documents, exports for the caller's own team and, by an owner of another team, for every team
 * (issue 15), and the live handoff list. A value must appear
 * exactly where `canSee` says the caller's team may see it, and nowhere else; counts must match.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { strFromU8, unzipSync } from 'fflate';
import { canSee, NOTE_FRAGMENT, TLP_LEVELS, type MarkedItem } from '@huntroom/shared';
import type { ApiClient } from '../helpers/http.js';
import { handoffGuest, observerOf } from '../helpers/partners.js';
import { connect as connectDoc, startCollabServer, synced, upgradeStatus, wsUrl } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';
import { connect, login, type Client } from './indicators-helpers.js';

// ['US'] is the author's own team alone: "only US", never "everyone" (issue 15, 2.3).
const RELEASE_SETS: string[][] = [[], ['CA'], ['LV'], ['US'], ['US', 'CA']];

interface Item {
  kind: 'indicator' | 'comment' | 'note' | 'whiteboard';
  needle: string;
  marked: MarkedItem;
  id: string;
}

describe('leak matrix: every marking x every path x every caller', () => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient;
  const items: Item[] = [];
  const viewers: { name: string; team: string; api: ApiClient; live: Client }[] = [];
  let teamId: Record<string, string>;

  beforeAll(async () => {
    server = await startCollabServer();
    ws = server.demo!.workspaceId;
    alice = await login(server.url, 'alice');
    teamId = Object.fromEntries(((await alice.get('/api/teams')).body.teams as { id: string; code: string }[]).map((t) => [t.code, t.id]));
    const ben = await login(server.url, 'ben');
    const liga = await login(server.url, 'liga');
    const obsCa = await observerOf(alice, ws, 'CA');
    const guestLv = await handoffGuest(alice, ws, liga);
    for (const [name, team, api] of [
      ['ben (CA hunter)', 'CA', ben],
      ['liga (LV hunter)', 'LV', liga],
      ['olga (CA observer)', 'CA', obsCa],
      ['inga (LV guest of a handoff)', 'LV', guestLv],
    ] as const) {
      viewers.push({ name, team, api, live: await connect(server.url, api, ws) });
    }
    // Listening from before the first write: every live frame is kept.
    const parent = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'parent-of-comments.example.org', tlp: 'CLEAR' });
    const parentId = parent.body.indicator?.id ?? parent.body.id;

    for (const tlp of TLP_LEVELS) {
      for (const rel of RELEASE_SETS) {
        const tag = `${tlp.replace('+', '-')}-${rel.join('') || 'all'}`.toLowerCase();
        const marked: MarkedItem = { marking: { tlp, releasableTo: rel.map((c) => teamId[c]!) }, ownerTeamId: teamId.US! };
        const ind = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: `ioc-${tag}.leak.example.org`, tlp, releasableTo: rel });
        expect(ind.status).toBe(201);
        items.push({ kind: 'indicator', needle: `ioc-${tag}.leak.example.org`, marked, id: ind.body.indicator?.id ?? ind.body.id });
        const com = await alice.post(`/api/workspaces/${ws}/indicators/${parentId}/comments`, { body: `COMMENT-${tag}-zq`, tlp, releasableTo: rel });
        expect(com.status).toBe(201);
        items.push({ kind: 'comment', needle: `COMMENT-${tag}-zq`, marked, id: parentId });
        for (const kind of ['note', 'whiteboard'] as const) {
          const needle = `${kind.toUpperCase()}-${tag}-zq`;
          const doc = await alice.post(`/api/workspaces/${ws}/${kind}s`, { title: `title ${needle}`, marking: marked.marking });
          expect(doc.status).toBe(201);
          await writeContent(doc.body.id, kind, needle);
          items.push({ kind, needle, marked, id: doc.body.id });
        }
      }
    }
    await new Promise((r) => setTimeout(r, 300));
  }, 60_000);
  afterAll(async () => {
    viewers.forEach((v) => v.live.close());
    await server.stop();
  });

  async function writeContent(docId: string, kind: 'note' | 'whiteboard', needle: string) {
    const c = connectDoc(server, docId, alice);
    await synced(c);
    if (kind === 'note') {
      const p = new Y.XmlElement('paragraph');
      const t = new Y.XmlText();
      t.insert(0, needle);
      p.insert(0, [t]);
      c.doc.getXmlFragment(NOTE_FRAGMENT).insert(0, [p]);
    } else {
      c.doc.getMap('elements').set('label', { id: 'label', type: 'text', text: needle, version: 1, versionNonce: 1, isDeleted: false });
    }
    await new Promise((r) => setTimeout(r, 50));
    c.destroy();
  }

  /** Reads a document as the viewer over the Yjs protocol: its text, or the refusal's status. */
  async function readDoc(api: ApiClient, docId: string): Promise<string> {
    const status = await upgradeStatus(`${wsUrl(server.url)}/${docId}`, { cookie: api.cookie! });
    if (status !== 101) return `refused ${status}`;
    const c = connectDoc(server, docId, api);
    await synced(c);
    const text = `${c.doc.getXmlFragment(NOTE_FRAGMENT).toString()} ${JSON.stringify(c.doc.getMap('elements').toJSON())}`;
    c.destroy();
    return text;
  }

  const sees = (team: string, item: Item) => canSee(teamId[team]!, item.marked);
  /**
   * A comment the CSV export carries (in its comment column, and so in the package) and the MISP export
   * (as the attribute comment): one a re-import would not widen, i.e. no stricter than its CLEAR parent
   * and released to every team.
   */
  const inCsv = (item: Item) => item.kind === 'indicator' || (item.kind === 'comment' && item.marked.marking.tlp === 'CLEAR' && item.marked.marking.releasableTo.length === 0);

  it('covers every level and release set for each kind', () => {
    expect(items).toHaveLength(TLP_LEVELS.length * RELEASE_SETS.length * 4);
    // Each caller both sees some and is denied some, or the matrix would prove nothing.
    for (const v of viewers) {
      expect(items.some((i) => sees(v.team, i))).toBe(true);
      expect(items.some((i) => !sees(v.team, i))).toBe(true);
    }
  });

  it('live socket frames carry exactly the visible indicators and comments', () => {
    for (const v of viewers) {
      const frames = v.live.raw.join('\n');
      for (const i of items.filter((x) => x.kind === 'indicator' || x.kind === 'comment')) {
        expect({ viewer: v.name, needle: i.needle, present: frames.includes(i.needle) }).toEqual({ viewer: v.name, needle: i.needle, present: sees(v.team, i) });
      }
      for (const i of items.filter((x) => x.kind === 'note' || x.kind === 'whiteboard')) expect(frames.includes(i.needle)).toBe(false);
    }
  });

  it('REST list, total, search and reads by id show exactly the visible indicators', async () => {
    for (const v of viewers) {
      const list = await v.api.get(`/api/workspaces/${ws}/indicators?limit=1000`);
      const text = JSON.stringify(list.body);
      const visible = items.filter((i) => i.kind === 'indicator' && sees(v.team, i));
      // +1: the CLEAR parent of the comments.
      expect({ viewer: v.name, total: list.body.total }).toEqual({ viewer: v.name, total: visible.length + 1 });
      for (const i of items.filter((x) => x.kind === 'indicator')) {
        expect({ viewer: v.name, needle: i.needle, present: text.includes(i.needle) }).toEqual({ viewer: v.name, needle: i.needle, present: sees(v.team, i) });
        const search = await v.api.get(`/api/workspaces/${ws}/indicators?q=${encodeURIComponent(i.needle)}`);
        expect({ viewer: v.name, needle: i.needle, total: search.body.total, leaked: JSON.stringify(search.body).includes(i.needle) }).toEqual({
          viewer: v.name,
          needle: i.needle,
          total: sees(v.team, i) ? 1 : 0,
          leaked: sees(v.team, i),
        });
        const byId = await v.api.get(`/api/workspaces/${ws}/indicators/${i.id}`);
        expect({ viewer: v.name, needle: i.needle, ok: byId.status === 200, leaked: JSON.stringify(byId.body).includes(i.needle) }).toEqual({
          viewer: v.name,
          needle: i.needle,
          ok: sees(v.team, i),
          leaked: sees(v.team, i),
        });
      }
      // Comments: in the parent's detail exactly when visible.
      const parent = JSON.stringify((await v.api.get(`/api/workspaces/${ws}/indicators/${items.find((x) => x.kind === 'comment')!.id}`)).body);
      for (const i of items.filter((x) => x.kind === 'comment'))
        expect({ viewer: v.name, needle: i.needle, present: parent.includes(i.needle) }).toEqual({ viewer: v.name, needle: i.needle, present: sees(v.team, i) });
    }
  });

  it('catch-up over the socket and over REST holds exactly the visible indicators and comments', async () => {
    for (const v of viewers) {
      const overSocket = JSON.stringify(await v.live.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 }));
      const overRest = JSON.stringify((await v.api.get(`/api/workspaces/${ws}/events?since=0`)).body);
      for (const i of items) {
        const expected = (i.kind === 'indicator' || i.kind === 'comment') && sees(v.team, i);
        expect({ viewer: v.name, needle: i.needle, socket: overSocket.includes(i.needle), rest: overRest.includes(i.needle) }).toEqual({
          viewer: v.name,
          needle: i.needle,
          socket: expected,
          rest: expected,
        });
      }
    }
  });

  it('notes and whiteboards: lists, reads and the Yjs documents hold exactly the visible ones', async () => {
    for (const v of viewers) {
      for (const kind of ['note', 'whiteboard'] as const) {
        const list = JSON.stringify((await v.api.get(`/api/workspaces/${ws}/${kind}s`)).body);
        for (const i of items.filter((x) => x.kind === kind)) {
          const visible = sees(v.team, i);
          const read = await v.api.get(`/api/workspaces/${ws}/${kind}s/${i.id}`);
          const content = await readDoc(v.api, i.id);
          expect({
            viewer: v.name,
            needle: i.needle,
            listed: list.includes(i.needle),
            read: read.status,
            content: content.includes(i.needle),
            refused: content.startsWith('refused'),
          }).toEqual({
            viewer: v.name,
            needle: i.needle,
            listed: visible,
            read: visible ? 200 : 404,
            content: visible,
            refused: !visible,
          });
        }
      }
    }
  });

  it("exports for the caller's own team hold exactly the visible items", async () => {
    for (const v of viewers) {
      const res = await fetch(`${server.url}/api/workspaces/${ws}/export/report.md`, { headers: { cookie: v.api.cookie! } });
      const csv = await (await fetch(`${server.url}/api/workspaces/${ws}/export/csv`, { headers: { cookie: v.api.cookie! } })).text();
      const misp = await (await fetch(`${server.url}/api/workspaces/${ws}/export/misp`, { headers: { cookie: v.api.cookie! } })).text();
      const report = (await res.text()).replace(/\[\.\]/g, '.'); // the report defangs values
      for (const i of items) {
        const inReport = i.kind === 'indicator' || i.kind === 'note';
        expect({ viewer: v.name, needle: i.needle, report: report.includes(i.needle), csv: csv.includes(i.needle), misp: misp.includes(i.needle) }).toEqual({
          viewer: v.name,
          needle: i.needle,
          report: inReport && sees(v.team, i),
          csv: inCsv(i) && sees(v.team, i),
          // MISP's attribute comment carries the same comments as CSV's comment column.
          misp: inCsv(i) && sees(v.team, i),
        });
      }
    }
  });

  // Issue 15: an owner may export for another team, but the file must not carry what the owner's own
  // team could not open directly (nor what the recipient may not see). Ben (CA) is made an owner here.
  it('an owner of another team: exports for every recipient in every format, and the counts, hold only what both teams see', async () => {
    const formats = ['stix', 'misp', 'csv', 'layer', 'report.md', 'report.html', 'package.zip'] as const;
    const ben = viewers.find((v) => v.name.startsWith('ben'))!.api;
    expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'owner' })).status).toBe(200);
    const counts = async (who: ApiClient, recipient: string) => {
      const res = await who.get(`/api/workspaces/${ws}/export?recipient=${recipient}`);
      expect(res.status).toBe(200);
      return { indicators: res.body.indicators as number, notes: res.body.notes as number };
    };
    try {
      for (const recipient of ['US', 'CA', 'LV']) {
        const both = (i: Item) => sees(recipient, i) && sees('CA', i);
        for (const format of formats) {
          const res = await fetch(`${server.url}/api/workspaces/${ws}/export/${format}?recipient=${recipient}`, { headers: { cookie: ben.cookie! } });
          expect(res.status).toBe(200);
          const bytes = Buffer.from(await res.arrayBuffer());
          const raw =
            format === 'package.zip'
              ? Object.values(unzipSync(bytes))
                  .map((f) => strFromU8(f))
                  .join('\n')
              : bytes.toString('utf8');
          const text = raw.replace(/\[\.\]/g, '.'); // reports defang values
          for (const i of items) {
            const carries =
              (i.kind === 'indicator' && format !== 'layer') ||
              (i.kind === 'note' && ['report.md', 'report.html', 'package.zip'].includes(format)) ||
              // STIX carries every comment as a note with its own marking (the package holds the bundle too).
              // CSV's comment column and MISP's attribute comment carry the comments a re-import would not widen.
              (i.kind === 'comment' && (format === 'stix' || format === 'package.zip' || (inCsv(i) && (format === 'csv' || format === 'misp'))));
            expect({ recipient, format, needle: i.needle, present: text.includes(i.needle) }).toEqual({ recipient, format, needle: i.needle, present: carries && both(i) });
          }
        }
        // The counts: as many indicators as the bundle holds, and the same as the package the other way round.
        const bundle = (await (await fetch(`${server.url}/api/workspaces/${ws}/export/stix?recipient=${recipient}`, { headers: { cookie: ben.cookie! } })).json()) as {
          objects: { type: string }[];
        };
        const mine = await counts(ben, recipient);
        expect({ recipient, indicators: mine.indicators }).toEqual({ recipient, indicators: bundle.objects.filter((o) => o.type === 'indicator').length });
      }
      // What CA may send to US is what US may send to CA: what both may see, whoever asks.
      expect(await counts(ben, 'US')).toEqual(await counts(alice, 'CA'));
      const hiddenFromCa = items.filter((i) => (i.kind === 'indicator' || i.kind === 'note') && sees('US', i) && !sees('CA', i));
      expect(hiddenFromCa.length).toBeGreaterThan(0);
      const usOwn = await counts(alice, 'US');
      const caToUs = await counts(ben, 'US');
      expect(usOwn.indicators + usOwn.notes - (caToUs.indicators + caToUs.notes)).toBeGreaterThanOrEqual(hiddenFromCa.length);
    } finally {
      expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'hunter' })).status).toBe(200);
    }
  });

  // Issue 15 (2.10): the audit trail names items by id, type and marking; read by an owner of another
  // team it must name exactly the items that team may see.
  it('an owner of another team: the audit trail names exactly the items its team may see', async () => {
    const ben = viewers.find((v) => v.name.startsWith('ben'))!.api;
    expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'owner' })).status).toBe(200);
    try {
      const res = await ben.get(`/api/workspaces/${ws}/audit`);
      expect(res.status).toBe(200);
      const trail = JSON.stringify(res.body);
      for (const i of items.filter((x) => x.kind !== 'comment')) {
        expect({ kind: i.kind, needle: i.needle, named: trail.includes(i.id) }).toEqual({ kind: i.kind, needle: i.needle, named: sees('CA', i) });
      }
      // Comments: a row about one names it with its marking; only those CA may see are there.
      const commented = (res.body.entries as { action: string; detail: { tlp?: string } }[]).filter((e) => e.action === 'indicator.commented');
      const visibleComments = items.filter((x) => x.kind === 'comment' && sees('CA', x));
      expect(commented.length).toBe(visibleComments.length);
      expect(commented.some((e) => e.detail.tlp === 'AMBER+STRICT')).toBe(false);
    } finally {
      expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'hunter' })).status).toBe(200);
    }
  });
});
