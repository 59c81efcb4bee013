/**
 * An update the home refused must not stay on the replica (docs/federation.md section 5, "Refused
 * edits"). A replica accepts its users' edits by its own rules and sends them to the home, which
 * decides again by its own (the author's role there, its limits): roles can differ between the sides,
 * and without this the replica's users would go on seeing text the home never accepted.
 *
 * - At the home, a refused `doc.update` of a document homed here is audited (`federation.refused`),
 *   counted as applied like any refusal, and answered with `doc.refused {docId, reason}` in the same transaction.
 * - At the replica, `doc.refused` (from the document's home only, audited there with the home's
 *   sentence) closes the document's editors on this node with 4403, deletes what is stored here, then
 *   asks the home for its whole state (`doc.sync` with an empty state vector; a large one arrives in
 *   pieces as ordinary doc.updates, sync.ts) and stores it; editors that open it again get the home's text. Repairs of one document run one at a time; refusals that arrive meanwhile run it once more.
 *   In cluster mode only the node holding the link gets `doc.refused` and repairs; each time it closes
 *   its editors it tells the other nodes through Redis (presenceRelay.ts), which close theirs and drop
 *   their copy of the document, so no node keeps serving the refused text.
 * - Before anything is sent, the replica checks what it can itself: a share whose role cap cannot write
 *   (observer) would have every update refused, so such an update is not sent and the replica repairs
 *   at once (outgoing.ts).
 */
import * as Y from 'yjs';
import * as z from 'zod';
import { CLOSE_CODES } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import type { Db } from '../../storage/db.js';
import type { Logger } from '../../log.js';
import { auditStore } from '../../audit/store.js';
import { docStore, type DocMeta } from '../../collab/store.js';
import { FederationRefusal, LinkDown, type FederationBus } from '../channel.js';
import type { Link } from '../store.js';
import { teamHome } from '../teams.js';
import { docRefusedMessage, fromBase64, toBase64 } from './wire.js';
import type { PresenceRelay } from './presenceRelay.js';

const subject = (meta: DocMeta) => [{ kind: 'document' as const, id: meta.id, marking: meta.marking, ownerTeamId: meta.ownerTeamId }];

/**
 * At the home, in the message's transaction: audits the refusal of `link`'s update to `meta` and tells
 * the replica. Returns the step to run after the commit.
 */
export async function refuseToReplica(tx: Db, bus: FederationBus, log: Logger, link: Link, meta: DocMeta, reason: string): Promise<() => void> {
  log.warn({ link: link.name, docId: meta.id, reason }, 'federation: refused a document update; the replica is told');
  await auditStore.write(tx, {
    workspaceId: meta.workspaceId,
    actorId: null,
    teamId: null,
    action: 'federation.refused',
    detail: { link: link.name, type: 'doc.update', docId: meta.id, reason },
    about: subject(meta),
  });
  await bus.enqueue(tx, link.name, 'doc.refused', { docId: meta.id, reason });
  return () => bus.flush(link.name);
}

const syncAnswer = z.object({ update: z.string().nullable() });
/** The state vector of an empty document: the home answers with its whole state. */
const EMPTY_STATE_VECTOR = toBase64(Y.encodeStateVector(new Y.Doc()));

/** At a replica: replaces a document's content with its home's, one repair per document at a time. */
export class ReplicaRepair {
  private readonly running = new Map<string, { again: boolean; reason: string }>();

  constructor(
    private readonly ctx: Pick<AppContext, 'db' | 'collab'>,
    private readonly bus: FederationBus,
    private readonly log: Logger,
    /** Cluster mode: how the other nodes hear of a repair (they close their editors too). */
    private readonly relay?: PresenceRelay,
  ) {
    if (relay) relay.onRepaired = (docId) => this.closeEditorsHere(docId);
  }

  /** Drops what `home` refused for `docId` here: now, or once more after the repair in progress. */
  schedule(home: string, docId: string, reason: string): void {
    const inProgress = this.running.get(docId);
    if (inProgress) {
      inProgress.again = true;
      inProgress.reason = reason;
      return;
    }
    const state = { again: true, reason };
    this.running.set(docId, state);
    void (async () => {
      while (state.again) {
        state.again = false;
        await this.repair(home, docId, state.reason);
      }
    })()
      .catch((err: unknown) => {
        const level = err instanceof LinkDown || err instanceof FederationRefusal ? 'warn' : 'error';
        this.log[level]({ link: home, docId, err: (err as Error).message }, 'federation: could not replace a replica with its home state');
      })
      .finally(() => this.running.delete(docId));
  }

  /** Whether a repair of `docId` is running or queued (for tests and /healthz-like probes). */
  busy(docId: string): boolean {
    return this.running.has(docId);
  }

  /** Closes the document's editors on this node and, in cluster mode, on every other node. */
  private closeEditors(docId: string): void {
    this.closeEditorsHere(docId);
    this.relay?.publishRepaired(docId);
  }

  private closeEditorsHere(docId: string): void {
    const { collab } = this.ctx;
    // A close reason holds 123 bytes: the home's sentence is in the log and the audit trail.
    collab.closeDocument(docId, CLOSE_CODES.forbidden, "a change was refused by the document's home instance; open it again");
    const live = collab.documents.get(docId);
    if (live) collab.documents.evict(live);
  }

  private async repair(home: string, docId: string, reason: string): Promise<void> {
    // Editors stop first (their clients hold the refused content and would send it again), and what
    // they sent before is stored before it is replaced.
    this.closeEditors(docId);
    await this.ctx.collab.updateLog.drain();
    // Emptied before the home is asked, not after: a large state comes as ordinary doc.updates on the
    // channel (sync.ts), which can be applied here before the answer arrives and must not be deleted.
    // Any update of the home applied from now on is kept with the answer, so nothing needs asking again.
    if (!(await this.store(home, docId, undefined, true))) return;
    const state = await this.homeState(home, docId, EMPTY_STATE_VECTOR);
    if (state) await this.store(home, docId, state, false);
    // Anyone who opened it while the home's state was on its way saw the old content.
    this.closeEditors(docId);
    this.log.info({ link: home, docId, reason }, 'federation: replica replaced with its home state after a refusal');
  }

  /** What the home has beyond `stateVector` (base64), checked; undefined when nothing. */
  private async homeState(home: string, docId: string, stateVector: string): Promise<Uint8Array | undefined> {
    const answer = syncAnswer.safeParse(await this.bus.request(home, 'doc.sync', { docId, stateVector }));
    if (!answer.success) throw new FederationRefusal(`${home} answered doc.sync for ${docId} wrongly`);
    if (answer.data.update === null) return undefined;
    const update = fromBase64(answer.data.update);
    try {
      Y.decodeUpdate(update);
    } catch {
      throw new FederationRefusal(`${home} answered doc.sync for ${docId} with bytes that are not a Yjs update`);
    }
    return update;
  }

  /** Stores `update` for the replica (`replace`: instead of all it held); false when it is no longer one of `home`. */
  private store(home: string, docId: string, update: Uint8Array | undefined, replace: boolean): Promise<boolean> {
    return this.ctx.db.transaction(async (tx) => {
      const meta = await docStore.meta(tx, docId);
      if (!meta || (await teamHome(tx, meta.ownerTeamId)) !== home) return false;
      if (replace) {
        await tx.run('DELETE FROM doc_snapshots WHERE doc_id = ?', [docId]);
        await tx.run('DELETE FROM doc_updates WHERE doc_id = ?', [docId]);
      }
      if (update) await docStore.appendUpdates(tx, docId, [update]);
      return true;
    });
  }
}

/** At a replica: `doc.refused` from the document's home, audited, then repaired after the commit. */
export function receiveRefusals(bus: FederationBus, repair: ReplicaRepair): void {
  bus.onMessage('doc.refused', async (tx, link, raw) => {
    const m = docRefusedMessage.safeParse(raw);
    if (!m.success) throw new FederationRefusal('doc.refused needs {docId, reason}');
    const meta = await docStore.meta(tx, m.data.docId);
    if (!meta) return; // revoked or deleted here since
    if ((await teamHome(tx, meta.ownerTeamId)) !== link.name) throw new FederationRefusal(`doc.refused: ${link.name} is not the home of document ${m.data.docId}`);
    await auditStore.write(tx, {
      workspaceId: meta.workspaceId,
      actorId: null,
      teamId: null,
      action: 'federation.received',
      detail: { link: link.name, kind: 'doc.refused', docId: meta.id, reason: m.data.reason },
      about: subject(meta),
    });
    return () => repair.schedule(link.name, meta.id, m.data.reason);
  });
}
