/**
 * What leaves this instance for documents: every update accepted here (the UpdateLog's tap, in the
 * transaction that stores it), metadata when a document is made, renamed or re-marked at its home, the
 * whole stored state when a document first crosses by a widening (in pieces, pieces.ts; a new share's
 * documents are baseline.ts's, sent after the activation), a revoke when it
 * narrows out of a link's sight or is deleted, and presence as signals. The border (border.ts) decides
 * every one of them before anything is written to a link's outbox.
 */
import type { Role } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import type { Logger } from '../../log.js';
import { docStore, type DocMeta } from '../../collab/store.js';
import { storedState } from '../../collab/persistence.js';
import type { UpdateTap } from '../../collab/UpdateLog.js';
import { can } from '../../workspaces/policy.js';
import { MAX_FRAME_BYTES } from '../protocol.js';
import type { FederationBus } from '../channel.js';
import { describeLocalUser, type RemoteUser } from '../accounts.js';
import { teamHome } from '../teams.js';
import { CROSSING_KINDS, docLinks, sharedDocument, visibleLinks } from './border.js';
import { cutState } from './pieces.js';
import { lockDocBaselines, lockSharingLinks } from './progress.js';
import type { PresenceRelay } from './presenceRelay.js';
import { toBase64, type DocMetaMessage, type DocUpdateMessage } from './wire.js';

/** How long a document's links are reused for presence before they are read again. */
const PRESENCE_LINKS_MS = 1_000;

/** Room for the frame's envelope around a message body. */
const ENVELOPE = 2048;

export const metaMessage = (m: DocMeta): DocMetaMessage => ({
  id: m.id,
  workspaceId: m.workspaceId,
  kind: m.kind as DocMetaMessage['kind'],
  title: m.title,
  marking: m.marking,
  ownerTeamId: m.ownerTeamId,
  createdBy: m.createdBy,
  createdAt: m.createdAt,
});

/**
 * Writes a doc.update for each link; false (nothing written, logged) when it is over the link's frame
 * limit: the local change must not fail for it, and the next full sync carries it.
 */
export async function enqueueUpdate(bus: FederationBus, log: Logger, tx: Db, links: readonly string[], body: DocUpdateMessage): Promise<boolean> {
  if (body.update.length + ENVELOPE > MAX_FRAME_BYTES) {
    log.warn({ docId: body.docId, bytes: body.update.length, links }, 'federation: a document update is larger than a link frame; not sent');
    return false;
  }
  for (const link of links) await bus.enqueue(tx, link, 'doc.update', body);
  return true;
}

export class DocumentCrossing implements UpdateTap {
  /** Links with messages written in transactions not yet committed: flushed after the commit. */
  private readonly dirty = new Set<string>();

  constructor(
    private readonly deps: {
      db: Db;
      bus: FederationBus;
      log: Logger;
      /** A replica's update its home would refuse, known here: drop it from the replica (refused.ts). */
      refusedHere?: (home: string, docId: string, reason: string) => void;
      /** Cluster mode: presence for links another node holds goes through Redis (presenceRelay.ts). */
      relay?: PresenceRelay | undefined;
      /** The largest piece of a state sent on a widening (the receiver's trial threshold, `trialAboveBytes`). */
      pieceBytes: number;
    },
  ) {}

  /**
   * UpdateTap: an update accepted on this node, in the transaction that stores it (after its row).
   *
   * **A workspace shared with no one** costs one read (`sharedDocument`), and nothing is locked. Why
   * skipping the baselines' locks then loses nothing when a share becomes active at the same moment
   * (on another node, or by the CLI):
   * - If the activation committed before that read started, the read sees it: the whole path below.
   * - SQLite: this transaction (BEGIN IMMEDIATE) is the file's only writer, every process's, from its
   *   start to its commit: an activation not seen commits after this update, and its baseline (recorded
   *   by it, sent later from the state stored then, baseline.ts) holds the update.
   * - PostgreSQL (read committed): an activation not seen started to commit after the read, hence
   *   after this transaction inserted the update's row, whose foreign key keeps the document's row
   *   locked (KEY SHARE) until this transaction ends. The baseline reaches the document only after the
   *   activation committed, and before reading its state it waits for that lock (baseline.ts,
   *   `waitForWriters`): the state holds the update.
   * The same holds for an activation committed between the reads below, which the lock of
   * `lockDocBaselines` does not cover: its baseline is at its start, so the link is not sent this live.
   *
   * **A widening at the same moment** (the document re-marked into a link's sight, `metaChanged`) sends
   * the link the document's state read in its transaction. On PostgreSQL this transaction takes the
   * rows of the workspace's links before it reads the marking (`lockSharingLinks`), and the widening
   * holds the link's row before it reads the state (it writes the metadata to the link's outbox first):
   * an update that read the old marking here commits before the widening reads the state, which holds
   * it; one read after the widening committed sees the new marking and goes live. Before, the marking
   * was read unlocked, and an update that read the old one and committed after the widening read the
   * state reached the peer neither way (test cluster/federation-widening-cluster). The same locks order
   * a narrowing's revoke after every update sent under the old marking. SQLite: one writer at a time.
   */
  async stored(tx: Db, docId: string, update: Uint8Array, author: string | undefined): Promise<void> {
    const shared = await sharedDocument(tx, docId);
    // ATT&CK boards do not cross here (visibleLinks would say so after more reads).
    if (!shared || !CROSSING_KINDS.includes(shared.kind)) return;
    await lockSharingLinks(tx, shared.workspaceId);
    const meta = await docStore.meta(tx, docId);
    if (!meta) return;
    // A documents' baseline under way decides, with its lock held, whether this goes live (baseline.ts).
    await lockDocBaselines(tx, meta.workspaceId);
    const links = await docLinks(tx, meta);
    if (!links.length) return;
    const capped = await this.beyondShareRole(tx, meta, links);
    if (capped) {
      // Not sent (the home would refuse it): the replica goes back to the home's state after this commit.
      const { refusedHere } = this.deps;
      if (refusedHere) setImmediate(() => refusedHere(capped.home, docId, capped.reason));
      return;
    }
    let who: RemoteUser | null = null;
    if (author) who = await describeLocalUser(tx, author).catch(() => null);
    if (await enqueueUpdate(this.deps.bus, this.deps.log, tx, links, { docId, update: toBase64(update), author: who })) links.forEach((l) => this.dirty.add(l));
  }

  /**
   * At a replica, what it can check of the home's verdict itself: the share's role cap. A share that
   * lets the peer's members observe only has every update refused at the home, whatever a member's
   * role here says (roles here are this instance's to set, and can differ).
   */
  private async beyondShareRole(tx: Db, meta: DocMeta, links: readonly string[]): Promise<{ home: string; reason: string } | undefined> {
    const home = await teamHome(tx, meta.ownerTeamId);
    if (!home || !links.includes(home)) return undefined;
    const share = await tx.get<{ role: string }>("SELECT role FROM federation_shares WHERE workspace_id = ? AND link = ? AND state = 'active'", [meta.workspaceId, home]);
    if (!share || can(share.role as Role, 'write')) return undefined;
    return { home, reason: `${home} shares this workspace with this instance for observing only` };
  }

  committed(): void {
    this.flush([...this.dirty]);
    this.dirty.clear();
  }

  flush(links: Iterable<string>): void {
    for (const link of links) this.deps.bus.flush(link);
  }

  /**
   * UpdateTap: only while a link is up on this node (or, in cluster mode, exists at all: another node
   * may hold it) is presence worth encoding.
   */
  carriesPresence(): boolean {
    return this.deps.bus.upLinks().length > 0 || !!this.deps.relay?.linksExist;
  }

  /**
   * UpdateTap: presence of this node's own clients, to every link the document crosses: signalled on
   * a link this node holds, relayed to the holder through Redis otherwise (cluster mode). The links of a
   * document are kept for a second (carets move many times a second); a change of its metadata here
   * forgets them at once.
   */
  awareness(docId: string, update: Uint8Array): void {
    void (async () => {
      const links = await this.presenceLinks(docId);
      if (!links.length) return;
      const body = { docId, update: toBase64(update) };
      for (const link of links) if (!this.deps.bus.signal(link, 'doc.awareness', body)) this.deps.relay?.send(link, docId, body.update);
    })().catch((err: unknown) => this.deps.log.debug({ err, docId }, 'federation: presence not sent'));
  }

  private readonly linkCache = new Map<string, { links: Promise<string[]>; at: number }>();

  private presenceLinks(docId: string): Promise<string[]> {
    const now = performance.now();
    const hit = this.linkCache.get(docId);
    if (hit && now - hit.at < PRESENCE_LINKS_MS) return hit.links;
    if (this.linkCache.size > 10_000) this.linkCache.clear();
    const links = docStore.meta(this.deps.db, docId).then((meta) => (meta ? docLinks(this.deps.db, meta) : []));
    this.linkCache.set(docId, { links, at: now });
    return links;
  }

  /** Forgets a document's cached links (its marking, or its workspace's shares, changed). */
  forget(docId?: string): void {
    if (docId) this.linkCache.delete(docId);
    else this.linkCache.clear();
  }

  /**
   * A document made, changed or deleted at its home (documents/service.ts), in that transaction.
   * `before` undefined: new; `after` undefined: deleted. Links that see it get its metadata (and, the
   * first time, its whole state); links that no longer see it get a revoke. Returns the links to flush
   * after the commit. A replica's metadata is its home's to change: nothing is sent for it.
   */
  async metaChanged(tx: Db, before: DocMeta | undefined, after: DocMeta | undefined): Promise<string[]> {
    const some = after ?? before;
    if (some) this.forget(some.id);
    if (!some || (await teamHome(tx, some.ownerTeamId))) return [];
    // The links' rows before the state is read for a widening (`stored`: a live writer reads the marking
    // only with them held). Not for a deletion: its transaction then deletes the document's row, which
    // waits for every writer still storing an update of it, and those may wait for these rows.
    if (after) await lockSharingLinks(tx, after.workspaceId);
    await lockDocBaselines(tx, some.workspaceId);
    // Revokes go whether or not a documents' baseline reached it (a replica may hold it from before an
    // outbox drop); metadata and state only once it did (baseline.ts sends them when it gets there).
    const was = before ? await visibleLinks(tx, before) : [];
    const now = after ? await docLinks(tx, after) : [];
    const seen = after ? await visibleLinks(tx, after) : [];
    for (const link of now) {
      await this.deps.bus.enqueue(tx, link, 'doc.meta', metaMessage(after!));
      if (!was.includes(link)) await this.sendState(tx, [link], after!.id);
    }
    const gone = was.filter((l) => !seen.includes(l));
    for (const link of gone) await this.deps.bus.enqueue(tx, link, 'doc.revoke', { docId: some.id });
    return [...now, ...gone];
  }

  /**
   * The document's whole stored state from its home (author null), in the widening's transaction: the
   * link's sight of it is decided there, and its later live updates are written after these pieces.
   * Read with the link's row held (`metaChanged`), so it holds every update whose tap read the old
   * marking (`stored`).
   * A state over `pieceBytes` goes as several doc.updates (pieces.ts: slices in Yjs order, each an
   * ordinary update for the receiver), as the baseline sends it: one message would not fit a link frame
   * for a large note. The fold and the cut run here, on the main thread, as the fold already did.
   */
  private async sendState(tx: Db, links: string[], docId: string): Promise<void> {
    const state = await storedState(tx, docId);
    // An empty document's state is two zero bytes: nothing to send.
    if (state.byteLength <= 2) return;
    for (const piece of cutState(state, this.deps.pieceBytes)) {
      await enqueueUpdate(this.deps.bus, this.deps.log, tx, links, { docId, update: toBase64(piece), author: null });
    }
  }
}
