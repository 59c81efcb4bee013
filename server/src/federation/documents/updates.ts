/**
 * `doc.update` as it arrives over a link (both ways), applied in the channel's transaction (once, in
 * order) and checked as a local socket's update is, for the peer is untrusted:
 *
 * - who: the document is shared over the link and releasable to one of its teams; the author is a user
 *   of a team the link speaks for (a remote account here) with a write role in the workspace, whose
 *   team may see the document. At the workspace's home the role is the remote account's membership; at
 *   a replica the home decided it. A change without an author is taken from the document's home only.
 * - what: bytes Yjs can decode; the document-size limit; the rate and CPU budgets of the author and of
 *   the link (limits.ts); an update over `trialAboveBytes` is first integrated into a copy in the worker
 *   pool (collab/trial.ts) and refused if it is too slow there, before anything stores or applies it.
 *   Integrating an accepted update into the live document is timed and charged too.
 * - when: an update over a rate or a CPU budget (or whose trial found the pool busy or the budget spent)
 *   is deferred, not refused (FederationDeferral): the channel applies it again once its sender may
 *   spend again, so an honest peer's replay after an outage is slowed, never cut.
 *
 * An accepted update is stored in the update log before anyone here sees it, then applied to the live
 * document if it is open (relayed to its clients and, through Redis, to other nodes). The home relays
 * it on to other links that see it, never back where it came from. A refused update of a document
 * homed here is answered with `doc.refused` so the replica drops it (refused.ts); other refusals throw,
 * and the channel audits them and goes on.
 *
 * A large update's rate check and trial run before the message's transaction (the channel's preparer),
 * not inside it: on SQLite a transaction holds every write of the node, and a trial may take seconds.
 * The transaction then checks everything else and takes the trial's verdict.
 */
import * as Y from 'yjs';
import { canSee } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import type { Db } from '../../storage/db.js';
import type { Logger } from '../../log.js';
import { docStore, type DocMeta } from '../../collab/store.js';
import { loadDoc } from '../../collab/persistence.js';
import { trialIntegration, type TrialVerdict } from '../../collab/trial.js';
import type { LiveDocument } from '../../collab/LiveDocument.js';
import { workspaceStore } from '../../workspaces/store.js';
import { can } from '../../workspaces/policy.js';
import { FederationRefusal, type FederationBus } from '../channel.js';
import { FederationDeferral } from '../deferral.js';
import { ensureRemoteAccount, type RemoteUser } from '../accounts.js';
import type { Link } from '../store.js';
import { linkTeamIds, teamHome } from '../teams.js';
import { docLinks } from './border.js';
import { lockDocBaselines, lockSharingLinks } from './progress.js';
import { parse, sharedDoc } from './incoming.js';
import { LinkUpdateLimits, type Author, type NotNow } from './limits.js';
import type { DocumentCrossing } from './outgoing.js';
import { refuseToReplica } from './refused.js';
import { docUpdateMessage, fromBase64 } from './wire.js';

const refuse = (why: string): never => {
  throw new FederationRefusal(why);
};

const notNow = (over: NotNow): never => {
  throw new FederationDeferral(`doc.update: ${over.reason}`, over.retryAfterMs);
};

const TRIAL_REFUSALS: Record<Exclude<TrialVerdict, 'ok'>, string> = {
  malformed: 'not a Yjs update',
  'too-slow': 'update too expensive to integrate',
  'over-budget': 'updates cost too much server time; slow down',
  busy: 'the server is busy with other large jobs; try again shortly',
};

/** What the preparer found for a large update: why it is refused, or undefined when it passed. */
interface LargeUpdateVerdict {
  reason: string | undefined;
}

export function receiveUpdates(ctx: AppContext, bus: FederationBus, crossing: DocumentCrossing, log: Logger): LinkUpdateLimits {
  const { collab } = ctx;
  const limits = new LinkUpdateLimits(collab.options);

  /** Why `author` may not write `meta` at all, or undefined. */
  async function mayWrite(tx: Db, link: Link, meta: DocMeta, author: RemoteUser): Promise<string | undefined> {
    const role = await workspaceStore.roleOf(tx, meta.workspaceId, author.id);
    const share = await tx.get<{ home: string }>("SELECT home FROM federation_shares WHERE workspace_id = ? AND link = ? AND state = 'active'", [meta.workspaceId, link.name]);
    // The workspace's home decides its members: a replica takes the home's word for who may write.
    const decidedThere = share?.home === 'peer';
    if (role ? !can(role, 'write') : !decidedThere) return `${author.username}@${link.name} may not write in this workspace`;
    if (!canSee(author.teamId, meta)) return `${author.username}@${link.name}'s team may not see document ${meta.id}`;
    return undefined;
  }

  /**
   * A large update, integrated first into a copy in the worker pool; why it is refused, or undefined.
   * Throws FederationDeferral when its sender's budget ran out or the pool was busy: it is tried again.
   */
  async function trial(db: Db, link: Link, author: Author | undefined, docId: string, update: Uint8Array): Promise<string | undefined> {
    const later = { retryAfterMs: Math.min(collab.options.cpuWindowMs, 1_000) };
    if (update.byteLength <= collab.options.trialAboveBytes) return undefined;
    const charge = (ms: number): boolean => limits.charge(link.name, author, ms);
    let doc = collab.documents.get(docId)?.doc;
    let scratch: Y.Doc | undefined;
    if (!doc) {
      // Not open here: the copy comes from storage, and reading it is the sender's cost too.
      const started = performance.now();
      scratch = doc = (await loadDoc(db, docId)).doc;
      if (!charge(performance.now() - started)) {
        scratch.destroy();
        return notNow({ reason: TRIAL_REFUSALS['over-budget'], ...later });
      }
    }
    try {
      const verdict = await trialIntegration(ctx.resources.workers, doc, update, collab.options.trialBudgetMs, charge);
      if (verdict === 'over-budget' || verdict === 'busy') notNow({ reason: TRIAL_REFUSALS[verdict], ...later });
      return verdict === 'ok' ? undefined : TRIAL_REFUSALS[verdict];
    } finally {
      scratch?.destroy();
    }
  }

  /** Before the transaction: a large update's rate check and trial (collab/trial.ts); why it is refused, or undefined. */
  async function prepareLarge(link: Link, raw: unknown): Promise<LargeUpdateVerdict | undefined> {
    const m = parse(docUpdateMessage, 'doc.update', raw);
    const update = fromBase64(m.update);
    if (update.byteLength <= collab.options.trialAboveBytes) return undefined;
    // A document the link may not see is refused before any work is spent on it.
    await sharedDoc(ctx.db, link, m.docId, 'doc.update');
    const author = m.author ? { id: m.author.id, name: `${m.author.username}@${link.name}` } : undefined;
    const over = limits.admit(link.name, author);
    if (over) notNow(over);
    return { reason: await trial(ctx.db, link, author, m.docId, update) };
  }

  bus.onMessage(
    'doc.update',
    async (tx, link, raw, prepared) => {
      const m = parse(docUpdateMessage, 'doc.update', raw);
      const meta = await sharedDoc(tx, link, m.docId, 'doc.update');
      const docHome = await teamHome(tx, meta.ownerTeamId);
      // What a well-behaved peer never sends: refused without a word to it.
      if (!m.author) {
        if (docHome !== link.name) refuse(`doc.update: ${link.name} sent a change without an author to document ${m.docId}, which it is not home of`);
      } else {
        if (!(await linkTeamIds(tx, link.name)).includes(m.author.teamId)) refuse(`doc.update: ${link.name} named an author of a team it does not speak for`);
        await ensureRemoteAccount(tx, link, m.author);
      }
      const author = m.author ? { id: m.author.id, name: `${m.author.username}@${link.name}` } : undefined;
      const update = fromBase64(m.update);
      const reason = await (async (): Promise<string | undefined> => {
        const denied = m.author && (await mayWrite(tx, link, meta, m.author));
        if (denied) return denied;
        // Small updates are decoded here; a large one only in its trial: decoding a crafted 0.6 MB update
        // alone held the main thread 0.2-0.4 s.
        if (update.byteLength <= collab.options.trialAboveBytes) {
          try {
            Y.decodeUpdate(update);
          } catch {
            return 'not a Yjs update';
          }
        }
        // The document-size limit holds for the link as for any client (collab/options.ts).
        const stored = await tx.get<{ n: number | string }>(
          'SELECT COALESCE((SELECT LENGTH(data) FROM doc_snapshots WHERE doc_id = ?), 0) + COALESCE((SELECT SUM(LENGTH(data)) FROM doc_updates WHERE doc_id = ?), 0) AS n',
          [m.docId, m.docId],
        );
        if (Number(stored?.n ?? 0) + update.byteLength > collab.options.maxDocumentBytes) return `document ${m.docId} would exceed ${collab.options.maxDocumentBytes} bytes`;
        if (update.byteLength > collab.options.trialAboveBytes) {
          const verdict = prepared as LargeUpdateVerdict | undefined;
          // Never taken untried: the channel prepares every message it applies, so this is a safeguard.
          return verdict ? verdict.reason : 'a large update that was not tried first';
        }
        const over = limits.admit(link.name, author);
        if (over) notNow(over);
        return undefined;
      })();
      if (reason) {
        // A replica that sent it holds it: tell it, so it drops what the home did not accept.
        if (docHome === undefined) return refuseToReplica(tx, bus, log, link, meta, `doc.update: ${reason}`);
        refuse(`doc.update: ${reason}`);
      }
      // Stored before anyone here sees it, with the link's applied seq: once, and never lost.
      await docStore.appendUpdates(tx, m.docId, [update]);
      // The home relays it to the other links that see the document; never back over its own link. Their
      // rows are taken before the marking is read again, as for a local update (outgoing.ts `stored`): a
      // widening to a third link at the same moment either reads a state that holds this update or
      // committed before the read below, which then sees it. A replica relays nothing.
      let onward: string[] = [];
      if (docHome === undefined) {
        await lockSharingLinks(tx, meta.workspaceId);
        await lockDocBaselines(tx, meta.workspaceId);
        const now = await docStore.meta(tx, m.docId);
        if (now) onward = await docLinks(tx, now, link.name);
      }
      for (const other of onward) await bus.enqueue(tx, other, 'doc.update', m);
      return () => {
        // Integrating it here is the sender's cost, as a local client's update is.
        const apply = (live: LiveDocument): void => {
          const started = performance.now();
          try {
            live.applyRemote('update', update);
          } finally {
            limits.charge(link.name, author, performance.now() - started);
          }
        };
        const live = collab.documents.get(m.docId);
        if (live) apply(live);
        // A load that read storage before this commit: give it the update once it is loaded.
        else void collab.documents.loadingNow(m.docId)?.then(apply, () => undefined);
        collab.fanout?.publishUpdate(m.docId, update);
        crossing.flush(onward);
      };
    },
    prepareLarge,
  );
  return limits;
}
