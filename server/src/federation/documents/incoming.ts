/**
 * What a link brings for documents, each message applied in the channel's transaction (once, in order)
 * and checked as a local client's change would be, for the peer is untrusted:
 *
 * - `doc.meta` (from the document's home): the replica's metadata row, with the home's id. Only for a
 *   document whose owner team the link speaks for, in a workspace shared over that link, that one of the
 *   link's teams may see.
 * - `doc.update` (both ways): stored in the update log before anyone here sees it, then applied to the
 *   live document if it is open here and relayed to its local clients (and other nodes). The document
 *   must be shared over the link and releasable to one of its teams; the author must be a user of a team
 *   the link speaks for (a remote account here) with a write role in the workspace. At the workspace's
 *   home the role is the remote account's membership; at a replica the home decided it. Observers'
 *   updates are refused. The home relays it on to other links that see it, never back where it came.
 * - `doc.revoke` (from the home): the replica and everything stored for it are deleted, and its local
 *   editors closed with 4403, as a local narrowing closes them.
 * - `doc.awareness` signals: presence of the peer's users on a document open here, with the user named
 *   `name@instance` and coloured as the team is here; only for teams the link speaks for.
 *
 * Refusals throw FederationRefusal: the channel audits them and goes on.
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { canSee, CLOSE_CODES } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import type { Db } from '../../storage/db.js';
import { auditStore } from '../../audit/store.js';
import { docStore, type DocMeta } from '../../collab/store.js';
import { documentStore } from '../../documents/store.js';
import { workspaceStore } from '../../workspaces/store.js';
import { can } from '../../workspaces/policy.js';
import { FederationRefusal, type FederationBus } from '../channel.js';
import { ensureRemoteAccount } from '../accounts.js';
import { linkTeamIds, teamHome } from '../teams.js';
import type { Link } from '../store.js';
import { CROSSING_KINDS, crossesTo, docLinks, sharedLinks } from './border.js';
import { docAwarenessSignal, docMetaMessage, docRevokeMessage, docUpdateMessage, fromBase64 } from './wire.js';
import type { DocumentCrossing } from './outgoing.js';

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

/** The document as the link may touch it: shared over the link and releasable to one of its teams. */
async function sharedDoc(tx: Db, link: Link, docId: string, type: string): Promise<DocMeta> {
  const meta = await docStore.meta(tx, docId);
  // One sentence for missing and hidden, as for local clients: the peer learns nothing from it.
  const hidden = `${type}: no document ${docId} shared with ${link.name}`;
  if (!meta || !CROSSING_KINDS.includes(meta.kind)) return refuse(hidden);
  if (!(await sharedLinks(tx, meta.workspaceId)).includes(link.name)) return refuse(hidden);
  if (!(await crossesTo(tx, link.name, meta))) return refuse(hidden);
  return meta;
}

export function receiveDocuments(ctx: AppContext, bus: FederationBus, crossing: DocumentCrossing): void {
  const { collab } = ctx;

  bus.onMessage('doc.meta', async (tx, link, raw) => {
    const m = parse(docMetaMessage, 'doc.meta', raw);
    if ((await teamHome(tx, m.ownerTeamId)) !== link.name) refuse(`doc.meta: ${link.name} is not the home of document ${m.id}'s team`);
    if (!(await sharedLinks(tx, m.workspaceId)).includes(link.name)) refuse(`doc.meta: workspace ${m.workspaceId} is not shared with ${link.name}`);
    if (!(await crossesTo(tx, link.name, m))) refuse(`doc.meta: document ${m.id} is not releasable to ${link.name}'s teams`);
    crossing.forget(m.id);
    const before = await docStore.meta(tx, m.id);
    if (before) {
      if (before.workspaceId !== m.workspaceId || before.kind !== m.kind || before.ownerTeamId !== m.ownerTeamId)
        refuse(`doc.meta: ${link.name} described document ${m.id} as another document than the one here`);
      if (before.title !== m.title) await documentStore.setTitle(tx, m.id, m.title);
      await documentStore.setMarking(tx, m.id, m.marking);
    } else {
      await docStore.insert(tx, { id: m.id, workspaceId: m.workspaceId, kind: m.kind, title: m.title, marking: m.marking, ownerTeamId: m.ownerTeamId, createdBy: m.createdBy });
    }
    await auditStore.write(tx, {
      workspaceId: m.workspaceId,
      actorId: null,
      teamId: null,
      action: 'federation.received',
      detail: { link: link.name, kind: 'doc.meta', docId: m.id, marking: m.marking },
    });
    if (!before) return;
    const after = (await docStore.meta(tx, m.id))!;
    // A narrowing that still leaves the link's teams some sight: local teams that lost it are closed.
    return () => collab.closeDocument(m.id, CLOSE_CODES.forbidden, `this ${m.kind} is no longer releasable to your team`, (c) => canSee(c.account.team.id, after));
  });

  bus.onMessage('doc.update', async (tx, link, raw) => {
    const m = parse(docUpdateMessage, 'doc.update', raw);
    const meta = await sharedDoc(tx, link, m.docId, 'doc.update');
    const fromHome = (await teamHome(tx, meta.ownerTeamId)) === link.name;
    const share = await tx.get<{ home: string }>("SELECT home FROM federation_shares WHERE workspace_id = ? AND link = ? AND state = 'active'", [meta.workspaceId, link.name]);
    if (!m.author) {
      if (!fromHome) refuse(`doc.update: ${link.name} sent a change without an author to document ${m.docId}, which it is not home of`);
    } else {
      if (!(await linkTeamIds(tx, link.name)).includes(m.author.teamId)) refuse(`doc.update: ${link.name} named an author of a team it does not speak for`);
      await ensureRemoteAccount(tx, link, m.author);
      const role = await workspaceStore.roleOf(tx, meta.workspaceId, m.author.id);
      // The workspace's home decides its members: a replica takes the home's word for who may write.
      const decidedThere = share?.home === 'peer';
      if (role ? !can(role, 'write') : !decidedThere) refuse(`doc.update: ${m.author.username}@${link.name} may not write in this workspace`);
      if (!canSee(m.author.teamId, meta)) refuse(`doc.update: ${m.author.username}@${link.name}'s team may not see document ${m.docId}`);
    }
    const update = fromBase64(m.update);
    try {
      Y.decodeUpdate(update);
    } catch {
      refuse('doc.update: not a Yjs update');
    }
    // The document-size limit holds for the link as for any client (collab/options.ts).
    const stored = await tx.get<{ n: number | string }>(
      'SELECT COALESCE((SELECT LENGTH(data) FROM doc_snapshots WHERE doc_id = ?), 0) + COALESCE((SELECT SUM(LENGTH(data)) FROM doc_updates WHERE doc_id = ?), 0) AS n',
      [m.docId, m.docId],
    );
    if (Number(stored?.n ?? 0) + update.byteLength > collab.options.maxDocumentBytes)
      refuse(`doc.update: document ${m.docId} would exceed ${collab.options.maxDocumentBytes} bytes`);
    // Stored before anyone here sees it, with the link's applied seq: once, and never lost.
    await docStore.appendUpdates(tx, m.docId, [update]);
    // The home relays it to the other links that see the document; never back over its own link.
    const onward = await docLinks(tx, meta, link.name);
    for (const other of onward) await bus.enqueue(tx, other, 'doc.update', m);
    return () => {
      const live = collab.documents.get(m.docId);
      if (live) live.applyRemote('update', update);
      // A load that read storage before this commit: give it the update once it is loaded.
      else
        void collab.documents.loadingNow(m.docId)?.then(
          (loaded) => loaded.applyRemote('update', update),
          () => undefined,
        );
      collab.fanout?.publishUpdate(m.docId, update);
      crossing.flush(onward);
    };
  });

  bus.onMessage('doc.revoke', async (tx, link, raw) => {
    const m = parse(docRevokeMessage, 'doc.revoke', raw);
    const meta = await docStore.meta(tx, m.docId);
    if (!meta) return; // already gone (deleted here, or revoked before)
    if ((await teamHome(tx, meta.ownerTeamId)) !== link.name) refuse(`doc.revoke: ${link.name} is not the home of document ${m.docId}`);
    crossing.forget(m.docId);
    // The metadata, the update log, snapshots and versions (ON DELETE CASCADE).
    await documentStore.delete(tx, m.docId);
    await auditStore.write(tx, {
      workspaceId: meta.workspaceId,
      actorId: null,
      teamId: null,
      action: 'federation.received',
      detail: { link: link.name, kind: 'doc.revoke', docId: m.docId },
      about: [{ kind: 'document', id: m.docId, marking: meta.marking, ownerTeamId: meta.ownerTeamId }],
    });
    return () => {
      collab.closeDocument(m.docId, CLOSE_CODES.forbidden, `this ${meta.kind} is no longer releasable to your team`);
      const live = collab.documents.get(m.docId);
      if (live) collab.documents.evict(live);
    };
  });

  bus.onSignal('doc.awareness', (link, raw) => {
    const m = docAwarenessSignal.safeParse(raw);
    if (!m.success) return;
    const live = collab.documents.get(m.data.docId);
    if (!live) return;
    void (async () => {
      const meta = await docStore.meta(ctx.db, m.data.docId);
      if (!meta || !(await sharedLinks(ctx.db, meta.workspaceId)).includes(link.name) || !(await crossesTo(ctx.db, link.name, meta))) return;
      const teams = await ctx.db.all<{ code: string; color: string }>('SELECT code, color FROM teams WHERE home_link = ?', [link.name]);
      const stamped = stampRemotePresence(fromBase64(m.data.update), link.name, new Map(teams.map((t) => [t.code, t.color])));
      if (stamped && collab.documents.get(m.data.docId) === live) live.applyRemote('awareness', stamped);
    })().catch((err: unknown) => ctx.log.debug({ err, link: link.name }, 'federation: presence not applied'));
  });
}

interface Entry {
  clientId: number;
  clock: number;
  state: string;
}

/**
 * A peer's awareness update as this instance shows it: every state's user named `name@instance`, with
 * its team's colour here; states of users of a team the link does not speak for are dropped, as are
 * malformed ones. undefined when nothing is left.
 */
export function stampRemotePresence(update: Uint8Array, linkName: string, teamColors: ReadonlyMap<string, string>): Uint8Array | undefined {
  const entries: Entry[] = [];
  try {
    const d = decoding.createDecoder(update);
    const n = decoding.readVarUint(d);
    if (n > 64) return undefined;
    for (let i = 0; i < n; i++) entries.push({ clientId: decoding.readVarUint(d), clock: decoding.readVarUint(d), state: decoding.readVarString(d) });
  } catch {
    return undefined;
  }
  const kept: Entry[] = [];
  for (const e of entries) {
    let state: unknown;
    try {
      state = JSON.parse(e.state);
    } catch {
      continue;
    }
    if (state === null) {
      kept.push(e);
      continue;
    }
    if (typeof state !== 'object' || Array.isArray(state)) continue;
    const user = (state as { user?: { name?: unknown; username?: unknown; team?: unknown } }).user;
    const team = typeof user?.team === 'string' ? user.team : undefined;
    const color = team && teamColors.get(team);
    if (!color || typeof user?.username !== 'string' || typeof user.name !== 'string') continue;
    const username = `${user.username.split('@')[0]!.slice(0, 64)}@${linkName}`;
    kept.push({ ...e, state: JSON.stringify({ ...state, user: { name: `${user.name.slice(0, 120)} (${linkName})`, username, team, color } }) });
  }
  if (!kept.length) return undefined;
  const out = encoding.createEncoder();
  encoding.writeVarUint(out, kept.length);
  for (const e of kept) {
    encoding.writeVarUint(out, e.clientId);
    encoding.writeVarUint(out, e.clock);
    encoding.writeVarString(out, e.state);
  }
  return encoding.toUint8Array(out);
}
