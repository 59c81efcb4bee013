/**
 * What a link brings for documents, each message applied in the channel's transaction (once, in order)
 * and checked as a local client's change would be, for the peer is untrusted:
 *
 * - `doc.meta` (from the document's home): the replica's metadata row, with the home's id. Only for a
 *   document whose owner team the link speaks for, in a workspace shared over that link, that one of the
 *   link's teams may see.
 * - `doc.update` (both ways): updates.ts; `doc.refused` (home to replica): refused.ts.
 * - `doc.revoke` (from the home): the replica and everything stored for it are deleted, and its local
 *   editors closed with 4403, as a local narrowing closes them.
 * - `doc.awareness` signals: presence of the peer's users on a document open here (or, in cluster
 *   mode, on any node: republished through the document fan-out), with the user named `name@instance`
 *   and coloured as the team is here; only for teams the link speaks for.
 *
 * Refusals throw FederationRefusal: the channel audits them and goes on.
 */
import type { z } from 'zod';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { canSee, CLOSE_CODES } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import type { Db } from '../../storage/db.js';
import { auditStore } from '../../audit/store.js';
import { docStore, type DocMeta } from '../../collab/store.js';
import { documentStore } from '../../documents/store.js';
import { FederationRefusal, type FederationBus } from '../channel.js';
import { teamHome } from '../teams.js';
import type { Link } from '../store.js';
import { CROSSING_KINDS, crossesTo, releasableHere, sharedLinks } from './border.js';
import { docAwarenessSignal, docMetaMessage, docRevokeMessage, fromBase64 } from './wire.js';
import type { DocumentCrossing } from './outgoing.js';

const refuse = (why: string): never => {
  throw new FederationRefusal(why);
};

export function parse<S extends z.ZodType>(schema: S, type: string, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    return refuse(`${type}: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}`);
  }
  return r.data;
}

/** The document as the link may touch it: shared over the link and releasable to one of its teams. */
export async function sharedDoc(tx: Db, link: Link, docId: string, type: string): Promise<DocMeta> {
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
    if (!(await releasableHere(tx, m))) refuse(`doc.meta: document ${m.id} is marked so that none of this instance's teams may see it`);
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
    // In cluster mode the document's editors may be on other nodes: they get it through the fan-out.
    if (!live && !collab.fanout) return;
    void (async () => {
      const meta = await docStore.meta(ctx.db, m.data.docId);
      if (!meta || !(await sharedLinks(ctx.db, meta.workspaceId)).includes(link.name) || !(await crossesTo(ctx.db, link.name, meta))) return;
      const teams = await ctx.db.all<{ code: string; color: string }>('SELECT code, color FROM teams WHERE home_link = ?', [link.name]);
      const stamped = stampRemotePresence(fromBase64(m.data.update), link.name, new Map(teams.map((t) => [t.code, t.color])));
      if (!stamped) return;
      const now = collab.documents.get(m.data.docId);
      if (now && (now === live || !live)) now.applyRemote('awareness', stamped);
      collab.fanout?.publishAwareness(m.data.docId, stamped);
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
