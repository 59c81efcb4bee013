/**
 * What leaves this instance for ATT&CK boards (docs/federation.md, "ATT&CK marks"):
 *
 * - every accepted change of the board (the UpdateLog's tap, in the transaction that stores it) is read
 *   as the marks it set or cleared; marks of this instance's own teams go to every link the board crosses
 *   to; a peer team's mark changed here (a workspace owner's edit) goes to that team's instance alone,
 *   which decides (and answers with its own value when it does not allow it). At the workspace's home
 *   the message says the author is an owner when they are one (ownerVouch), which that instance accepts
 *   from the workspace's home link alone;
 * - when a share becomes active, or the board widens into a link's sight, the workspace's home sends the
 *   board's marking and its own teams' marks; when it narrows out of it, a revoke.
 *
 * Marks written here from a link are stored as changes made elsewhere (never through the UpdateLog), so
 * nothing is sent back where it came from.
 */
import type { Db } from '../../storage/db.js';
import type { Logger } from '../../log.js';
import { docStore, type DocMeta } from '../../collab/store.js';
import { auditStore } from '../../audit/store.js';
import { workspaceStore } from '../../workspaces/store.js';
import { boardDocId } from '../../attack/board.js';
import { MAX_FRAME_BYTES } from '../protocol.js';
import { describeLocalUser, type RemoteUser } from '../accounts.js';
import type { FederationBus } from '../channel.js';
import { teamHome } from '../teams.js';
import { sharedDocument } from '../documents/border.js';
import { lockSharingLinks } from '../documents/progress.js';
import { boardLinks, boardSubject, ownTeamCodes, storedMarksOf, teamHomes, touchedMarks } from './board.js';
import { BOARD_MESSAGE, keyTeam, MARKS_MESSAGE, REVOKE_MESSAGE, type WireMark } from './wire.js';

/** Writes a message in `tx` for `link` and returns its link seq (the bus's enqueue, or writeToOutbox). */
export type Enqueue = (tx: Db, link: string, type: string, body: unknown) => Promise<number>;

/** Splits marks into messages well below the link's frame limit (a baseline can hold thousands). */
function chunks(marks: readonly WireMark[], budget = MAX_FRAME_BYTES / 2): WireMark[][] {
  const out: WireMark[][] = [];
  let current: WireMark[] = [];
  let size = 0;
  for (const m of marks) {
    const n = JSON.stringify(m).length;
    if (current.length && (size + n > budget || current.length >= 5_000)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += n;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Enqueues `marks` for `link` with an audit row per message (which keys, to which link, its seq).
 * `authorIsOwner`: the workspace's home vouches that `author` owns the workspace (ownerVouch below).
 */
export async function sendMarks(
  tx: Db,
  enqueue: Enqueue,
  link: string,
  meta: DocMeta,
  marks: readonly WireMark[],
  author: RemoteUser | null,
  baseline = false,
  authorIsOwner = false,
): Promise<void> {
  for (const chunk of chunks(marks)) {
    const body = { workspaceId: meta.workspaceId, author, marks: chunk, ...(baseline ? { baseline: true } : {}), ...(authorIsOwner ? { authorIsOwner: true } : {}) };
    const linkSeq = await enqueue(tx, link, MARKS_MESSAGE, body);
    await auditStore.write(tx, {
      workspaceId: meta.workspaceId,
      actorId: author?.id ?? null,
      teamId: author?.teamId ?? null,
      action: 'federation.sent',
      detail: {
        link,
        linkSeq,
        kind: 'attack.marks',
        id: meta.id,
        marks: chunk.map((m) => m.key),
        ...(baseline ? { baseline: true } : {}),
        ...(authorIsOwner ? { authorIsOwner: true } : {}),
      },
      about: [boardSubject(meta)],
    });
  }
}

/**
 * Whether this instance may vouch to `link` that `accountId` owns the workspace: it is the workspace's
 * home for that link's share (the one place that decides its members and roles) and the account is an
 * owner there now. A replica never vouches: its members are its own team admin's, not the workspace's.
 */
export async function ownerVouch(tx: Db, workspaceId: string, link: string, accountId: string): Promise<boolean> {
  const share = await tx.get<{ home: string }>("SELECT home FROM federation_shares WHERE workspace_id = ? AND link = ? AND state = 'active'", [workspaceId, link]);
  return share?.home === 'here' && (await workspaceStore.roleOf(tx, workspaceId, accountId)) === 'owner';
}

/** The board's marking and this instance's own teams' marks, to `link` (a new share, a widening). */
export async function sendBoard(tx: Db, enqueue: Enqueue, link: string, meta: DocMeta): Promise<void> {
  const linkSeq = await enqueue(tx, link, BOARD_MESSAGE, { workspaceId: meta.workspaceId, marking: meta.marking });
  await auditStore.write(tx, {
    workspaceId: meta.workspaceId,
    action: 'federation.sent',
    detail: { link, linkSeq, kind: 'attack.board', id: meta.id, marking: meta.marking },
    about: [boardSubject(meta)],
  });
  const own = await storedMarksOf(tx, meta.id, await ownTeamCodes(tx));
  if (own.length) await sendMarks(tx, enqueue, link, meta, own, null, true);
}

/** At the workspace's home, in the transaction that activates a share: the board, if it crosses to that link. */
export async function boardBaseline(tx: Db, enqueue: Enqueue, link: string, workspaceId: string): Promise<void> {
  const meta = await docStore.meta(tx, boardDocId(workspaceId));
  if (!meta || (await teamHome(tx, meta.ownerTeamId))) return;
  if ((await boardLinks(tx, meta)).includes(link)) await sendBoard(tx, enqueue, link, meta);
}

export class MarksCrossing {
  /** Links written to by transactions not yet committed: flushed after the commit. */
  private readonly dirty = new Set<string>();

  constructor(private readonly deps: { bus: FederationBus; log: Logger }) {}

  private readonly enqueue: Enqueue = (tx, link, type, body) => this.deps.bus.enqueue(tx, link, type, body);

  /**
   * UpdateTap: a board change accepted on this node, in the transaction that stores it. A board of a
   * workspace shared with no one costs one read. Otherwise, on PostgreSQL, the rows of the workspace's
   * links are locked before the board's marking is read, as for notes (documents/outgoing.ts `stored`):
   * `boardChanged` holds a link's row when it reads the marks it sends on a widening, so a change that
   * read the old marking here is committed before that read, and one that reads after it sees the new
   * marking and goes live.
   */
  async stored(tx: Db, docId: string, update: Uint8Array, author: string | undefined): Promise<void> {
    if (!docId.startsWith('attack-')) return;
    const shared = await sharedDocument(tx, docId);
    if (!shared) return;
    await lockSharingLinks(tx, shared.workspaceId);
    const meta = await docStore.meta(tx, docId);
    if (!meta || meta.kind !== 'attack') return;
    const links = await boardLinks(tx, meta);
    if (!links.length) return;
    const changed = await touchedMarks(tx, docId, update);
    if (!changed.length) return;
    const homes = await teamHomes(
      tx,
      changed.map((m) => keyTeam(m.key)),
    );
    const who = author ? await describeLocalUser(tx, author).catch(() => null) : null;
    for (const link of links) {
      // Ours to every link that sees the board; a peer team's mark (an owner's edit here) to its home only.
      const marks = changed.filter((m) => {
        const home = homes.get(keyTeam(m.key));
        return home === null || (home === link && who !== null);
      });
      if (!marks.length) continue;
      const peerMarks = marks.some((m) => homes.get(keyTeam(m.key)) === link);
      await sendMarks(tx, this.enqueue, link, meta, marks, who, false, peerMarks && who !== null && (await ownerVouch(tx, meta.workspaceId, link, who.id)));
      this.dirty.add(link);
    }
  }

  committed(): void {
    this.flush([...this.dirty]);
    this.dirty.clear();
  }

  flush(links: Iterable<string>): void {
    for (const link of links) this.deps.bus.flush(link);
  }

  /**
   * The board's marking changed at the workspace's home (attack/boardRoutes.ts), in that transaction:
   * links that see it get the marking (and, when they did not see it before, its marks); links that no
   * longer see it get a revoke. Returns the links to flush after the commit.
   */
  async boardChanged(tx: Db, before: DocMeta, after: DocMeta): Promise<string[]> {
    if (await teamHome(tx, after.ownerTeamId)) return [];
    // The links' rows before the marks are read for a widening (`stored` reads the marking only with them).
    await lockSharingLinks(tx, after.workspaceId);
    const was = await boardLinks(tx, before);
    const now = await boardLinks(tx, after);
    for (const link of now) {
      if (was.includes(link)) {
        const linkSeq = await this.enqueue(tx, link, BOARD_MESSAGE, { workspaceId: after.workspaceId, marking: after.marking });
        await auditStore.write(tx, {
          workspaceId: after.workspaceId,
          action: 'federation.sent',
          detail: { link, linkSeq, kind: 'attack.board', id: after.id, marking: after.marking },
          about: [boardSubject(after)],
        });
      } else await sendBoard(tx, this.enqueue, link, after);
    }
    const gone = was.filter((l) => !now.includes(l));
    for (const link of gone) {
      const linkSeq = await this.enqueue(tx, link, REVOKE_MESSAGE, { workspaceId: after.workspaceId });
      await auditStore.write(tx, {
        workspaceId: after.workspaceId,
        action: 'federation.sent',
        detail: { link, linkSeq, kind: 'attack.revoke', id: after.id },
        about: [boardSubject(after)],
      });
    }
    return [...now, ...gone];
  }
}
