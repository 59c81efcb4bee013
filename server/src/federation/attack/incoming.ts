/**
 * What a link brings for ATT&CK boards, each message applied in the channel's transaction (once, in
 * order) and checked as untrusted:
 *
 * - `attack.marks` (both ways): marks of the teams the link speaks for, in a workspace shared over it.
 *   Written into the stored board as a change made elsewhere, then into the live board and to this
 *   instance's sockets after the commit. A message naming a mark of any other team is refused as a
 *   whole and audited (`federation.refused`); if it named marks of this instance's own teams (a peer's
 *   non-owner, or a hostile peer), the home answers with its own values of them, so the sender's board
 *   comes back to what the home holds. One exception: an owner's edit of our team's mark, sent by the
 *   workspace's home vouching for the owner, is taken as a local owner's would be (ownerEdit.ts). At the
 *   workspace's home, an author must be a member there with a write role.
 * - `attack.board` (from the workspace's home): the board's marking; local editors who may no longer
 *   read the board are closed with 4403.
 * - `attack.revoke` (from the workspace's home): the board narrowed out of the link's sight: the home's
 *   marks are cleared from the board here and the board's log folded, so their values leave storage.
 */
import type * as Y from 'yjs';
import type { z } from 'zod';
import { CLOSE_CODES, markKey } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import type { Db } from '../../storage/db.js';
import { auditStore } from '../../audit/store.js';
import { docStore, type DocMeta } from '../../collab/store.js';
import { compactDoc } from '../../collab/persistence.js';
import { documentStore } from '../../documents/store.js';
import { workspaceStore } from '../../workspaces/store.js';
import { can } from '../../workspaces/policy.js';
import { ensureBoard, mayReadBoard } from '../../attack/board.js';
import { FederationRefusal, type FederationBus } from '../channel.js';
import { ensureRemoteAccount } from '../accounts.js';
import type { Link } from '../store.js';
import { boardLinks, boardSubject, markAt, readStoredBoard, teamHomes, writeMarks } from './board.js';
import { ownerEditRefusal } from './ownerEdit.js';
import { sendMarks, type MarksCrossing } from './outgoing.js';
import { BOARD_MESSAGE, boardMessageSchema, keyTeam, MARKS_MESSAGE, marksMessageSchema, REVOKE_MESSAGE, revokeMessageSchema, type WireMark } from './wire.js';

const refuse = (why: string): never => {
  throw new FederationRefusal(why);
};

function parse<S extends z.ZodType>(schema: S, type: string, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    return refuse(`${type}: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}`);
  }
  return r.data;
}

/** The active share of `workspaceId` over `link`, or a refusal that says nothing more than "not shared". */
async function shareOf(tx: Db, link: Link, workspaceId: string, type: string): Promise<{ home: 'here' | 'peer' }> {
  const share = await tx.get<{ home: 'here' | 'peer' }>("SELECT home FROM federation_shares WHERE workspace_id = ? AND link = ? AND state = 'active'", [workspaceId, link.name]);
  return share ?? refuse(`${type}: workspace ${workspaceId} is not shared with ${link.name}`);
}

/** After a commit: the live board (if open on this node, or loading) and the other nodes get `update`. */
function applyLive(ctx: AppContext, docId: string, update: Uint8Array | undefined): void {
  if (!update) return;
  const { collab } = ctx;
  const live = collab.documents.get(docId);
  if (live) live.applyRemote('update', update);
  else
    void collab.documents.loadingNow(docId)?.then(
      (loaded) => loaded.applyRemote('update', update),
      () => undefined,
    );
  collab.fanout?.publishUpdate(docId, update);
}

export function receiveMarks(ctx: AppContext, bus: FederationBus, crossing: MarksCrossing): void {
  bus.onMessage(MARKS_MESSAGE, async (tx, link, raw) => {
    const m = parse(marksMessageSchema, MARKS_MESSAGE, raw);
    const share = await shareOf(tx, link, m.workspaceId, MARKS_MESSAGE);
    for (const e of m.marks)
      if (e.mark && markKey(e.mark.techniqueId, e.mark.team) !== e.key) refuse(`${MARKS_MESSAGE}: the value under ${e.key} is another team's or technique's mark`);
    const meta = await ensureBoard({ db: tx }, m.workspaceId);
    const homes = await teamHomes(
      tx,
      m.marks.map((e) => keyTeam(e.key)),
    );
    const notTheirs = m.marks.filter((e) => homes.get(keyTeam(e.key)) !== link.name);
    if (m.authorIsOwner) {
      // Only the workspace's home vouches for its owners, and only for the edits it sends us of our marks.
      const refusal = await ownerEditRefusal(tx, link, share.home, m.workspaceId, m.author, notTheirs, homes);
      if (refusal) return refuseForeign(tx, link, meta, m.marks, homes, refusal);
    } else if (notTheirs.length) return refuseForeign(tx, link, meta, notTheirs, homes);
    if (m.author) {
      // A user of a team the link speaks for (refused otherwise), made here on first sight.
      await ensureRemoteAccount(tx, link, m.author);
      // The workspace's home decides its members: there the author must be one who writes.
      if (share.home === 'here' && !can(await workspaceStore.roleOf(tx, m.workspaceId, m.author.id), 'write'))
        refuse(`${MARKS_MESSAGE}: ${m.author.username}@${link.name} may not write in workspace ${m.workspaceId}`);
    }
    const update = await writeMarks(tx, meta.id, m.marks);
    await auditStore.write(tx, {
      workspaceId: m.workspaceId,
      actorId: m.author?.id ?? null,
      teamId: m.author?.teamId ?? null,
      action: 'federation.received',
      detail: {
        link: link.name,
        kind: 'attack.marks',
        id: meta.id,
        marks: m.marks.map((e) => e.key),
        ...(m.baseline ? { baseline: true } : {}),
        ...(m.authorIsOwner ? { authorIsOwner: true } : {}),
      },
      about: [boardSubject(meta)],
    });
    return () => applyLive(ctx, meta.id, update);
  });

  /**
   * Marks of teams the link does not speak for: nothing of the message is applied; the refusal is
   * audited here (the message counts as applied, so a hostile peer cannot wedge the link with it). Marks
   * of our own teams among them get our values back, if the board crosses to that link at all.
   */
  async function refuseForeign(tx: Db, link: Link, meta: DocMeta, marks: WireMark[], homes: Map<string, string | null>, why?: string): Promise<() => void> {
    const reason = why ?? `${MARKS_MESSAGE}: ${link.name} may write only the marks of the teams its link names, not ${[...new Set(marks.map((e) => keyTeam(e.key)))].join(', ')}`;
    ctx.log.warn({ link: link.name, reason }, 'federation: refused a message');
    await auditStore.write(tx, {
      workspaceId: meta.workspaceId,
      action: 'federation.refused',
      detail: { link: link.name, type: MARKS_MESSAGE, reason, marks: marks.map((e) => e.key).slice(0, 100) },
      about: [boardSubject(meta)],
    });
    const ours = marks.filter((e) => homes.get(keyTeam(e.key)) === null);
    if (!ours.length || !(await boardLinks(tx, meta)).includes(link.name)) return () => undefined;
    const values = await readStoredBoard(tx, meta.id, (map) => ours.map((e) => ({ key: e.key, mark: markAt(map, e.key) })));
    await sendMarks(tx, (t, l, type, body) => bus.enqueue(t, l, type, body), link.name, meta, values, null, true);
    return () => crossing.flush([link.name]);
  }

  bus.onMessage(BOARD_MESSAGE, async (tx, link, raw) => {
    const m = parse(boardMessageSchema, BOARD_MESSAGE, raw);
    if ((await shareOf(tx, link, m.workspaceId, BOARD_MESSAGE)).home !== 'peer') refuse(`${BOARD_MESSAGE}: ${link.name} is not the home of workspace ${m.workspaceId}`);
    const meta = await ensureBoard({ db: tx }, m.workspaceId);
    await documentStore.setMarking(tx, meta.id, m.marking);
    await auditStore.write(tx, {
      workspaceId: m.workspaceId,
      action: 'federation.received',
      detail: { link: link.name, kind: 'attack.board', id: meta.id, marking: m.marking },
      about: [boardSubject(meta)],
    });
    const after = (await docStore.meta(tx, meta.id))!;
    return () =>
      ctx.collab.closeDocument(meta.id, CLOSE_CODES.forbidden, 'the ATT&CK board is no longer releasable to your team', (c) => mayReadBoard(c.account.team.id, c.role, after));
  });

  bus.onMessage(REVOKE_MESSAGE, async (tx, link, raw) => {
    const m = parse(revokeMessageSchema, REVOKE_MESSAGE, raw);
    if ((await shareOf(tx, link, m.workspaceId, REVOKE_MESSAGE)).home !== 'peer') refuse(`${REVOKE_MESSAGE}: ${link.name} is not the home of workspace ${m.workspaceId}`);
    const meta = await docStore.meta(tx, `attack-${m.workspaceId}`);
    if (!meta) return;
    const codes = new Set((await tx.all<{ code: string }>('SELECT code FROM teams WHERE home_link = ?', [link.name])).map((r) => r.code));
    const theirs = await readStoredBoard(tx, meta.id, (map: Y.Map<unknown>) => [...map.keys()].filter((k) => codes.has(keyTeam(k))).map((key) => ({ key, mark: null })));
    const update = theirs.length ? await writeMarks(tx, meta.id, theirs) : undefined;
    await auditStore.write(tx, {
      workspaceId: m.workspaceId,
      action: 'federation.received',
      detail: { link: link.name, kind: 'attack.revoke', id: meta.id, marks: theirs.length },
      about: [boardSubject(meta)],
    });
    return () => {
      applyLive(ctx, meta.id, update);
      if (!update) return;
      // Fold the log now: the cleared values leave the stored rows (the snapshot keeps only tombstones).
      const live = ctx.collab.documents.get(meta.id);
      void (live ? live.compact() : compactDoc(ctx.db, meta.id)).catch((err: unknown) => ctx.log.warn({ err, docId: meta.id }, 'federation: board not folded after a revoke'));
    };
  });
}
