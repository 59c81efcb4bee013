/**
 * Who may write which marks of the ATT&CK board over the document socket: a team writes only its own
 * marks (keys `<techniqueId>|<team>` whose value is a valid mark of that team), a workspace owner any
 * team's. The client's word is not taken for any of it.
 *
 * What a Yjs update changes cannot be read off its bytes alone: an item names the key it belongs to
 * only when it has no neighbour, otherwise it inherits its neighbour's, and integrating a map entry
 * deletes whatever entry it is placed after, whatever key that one has. So the update is integrated
 * first into a shadow copy of the board, inside one transaction whose `changed` set lists exactly the
 * map keys it touched (entries added, overwritten or deleted, directly or through a neighbour). Only
 * if every touched key is the writer's, and every new value a valid mark of that key, does the live
 * document get the update. The shadow follows the live document through its `update` events, so
 * vetting costs one integration of the (small) update, not a copy of the board; after a refusal the
 * shadow holds the refused change and is rebuilt from the live document before the next check.
 *
 * An update that would leave structs or deletions waiting for content the board does not have is
 * refused too: Yjs would integrate them later, inside someone else's update, where they could touch
 * any key (a deletion of another team's next mark, say). Honest clients never send one: they only
 * know content the server sent them or they made themselves.
 */
import * as Y from 'yjs';
import { MARKS_MAP, markKey, markSchema } from '@huntroom/shared';
import type { GuardVerdict, WriteGuard, Writer } from '../collab/writeGuard.js';

/** A mark as the client writes it: no field beyond the contract's. */
const strictMark = markSchema.strict();

export class MarksGuard implements WriteGuard {
  private shadow: Y.Doc | undefined;
  private readonly follow = (update: Uint8Array) => {
    if (this.shadow) Y.applyUpdate(this.shadow, update);
  };

  constructor(private readonly live: Y.Doc) {
    live.on('update', this.follow);
  }

  vet(update: Uint8Array, writer: Writer): GuardVerdict {
    try {
      Y.decodeUpdate(update);
    } catch {
      return { ok: false, malformed: true, reason: 'malformed Yjs update' };
    }
    const shadow = this.copy();
    const { store } = shadow;
    const pendingBefore = [store.pendingStructs, store.pendingDs];
    let reason: string | undefined;
    try {
      shadow.transact((tr) => {
        Y.applyUpdate(shadow, update);
        reason = judge(tr, shadow.getMap(MARKS_MAP), writer);
      });
    } catch {
      reason = 'the update could not be applied to the board';
    }
    if (!reason && ((store.pendingStructs && store.pendingStructs !== pendingBefore[0]) || (store.pendingDs && store.pendingDs !== pendingBefore[1]))) {
      reason = 'the update refers to content the board does not have';
    }
    if (!reason) return { ok: true };
    // The shadow now holds the refused change: drop it, the next check starts from the live board.
    this.dropShadow();
    return { ok: false, malformed: false, reason };
  }

  private copy(): Y.Doc {
    if (!this.shadow) {
      const doc = new Y.Doc({ gc: this.live.gc });
      // Typed before any content arrives: a root first made by an update is a plain AbstractType,
      // and a later getMap would replace it with a new object that `changed` does not know.
      doc.getMap(MARKS_MAP);
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.live));
      this.shadow = doc;
    }
    return this.shadow;
  }

  private dropShadow(): void {
    this.shadow?.destroy();
    this.shadow = undefined;
  }

  destroy(): void {
    this.live.off('update', this.follow);
    this.dropShadow();
  }
}

/** Why `writer` may not make the changes of `tr`, or undefined when every one is theirs to make. */
function judge(tr: Y.Transaction, marks: Y.Map<unknown>, writer: Writer): string | undefined {
  const owner = writer.role === 'owner';
  const team = writer.account.team.code;
  for (const [type, keys] of tr.changed) {
    if ((type as unknown) !== marks) return 'the ATT&CK board holds marks only';
    for (const key of keys) {
      if (key === null) return 'the ATT&CK board holds marks only';
      const keyTeam = key.slice(key.lastIndexOf('|') + 1);
      if (!owner && keyTeam !== team) return `only team ${keyTeam} or a workspace owner may change team ${keyTeam}'s marks`;
      const value = marks.get(key);
      if (value === undefined) continue; // cleared: allowed to whoever may write the key
      const mark = strictMark.safeParse(value);
      if (!mark.success || markKey(mark.data.techniqueId, mark.data.team) !== key) return `not a valid mark for ${key.slice(0, 40)}`;
    }
  }
  return undefined;
}
