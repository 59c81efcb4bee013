/**
 * Per-kind write rules of documents, checked on the server before a client's update reaches the live
 * document. The role check (observers write nothing) is the MessageReceiver's; a guard adds what a
 * kind needs beyond it. Today only the ATT&CK board has one: each team's marks are written only by
 * that team and by workspace owners (attack/marksGuard.ts). An update a guard refuses is refused as
 * a whole: nothing of it is applied, stored or relayed, and the sender is closed with 4403.
 */
import type * as Y from 'yjs';
import type { Account, Role } from '@huntroom/shared';
import type { DocMeta } from './store.js';
import { MarksGuard } from '../attack/marksGuard.js';

/** Who sends an update: its account (team) and role in the document's workspace. */
export interface Writer {
  readonly account: Account;
  readonly role: Role;
}

/** `ok`; `malformed` (bytes Yjs cannot read); or why this writer may not make this change. */
export type GuardVerdict = { ok: true } | { ok: false; malformed: boolean; reason: string };

export interface WriteGuard {
  vet(update: Uint8Array, writer: Writer): GuardVerdict;
  destroy(): void;
}

/** The guard of a document kind, bound to the live Y.Doc; undefined when the kind has none. */
export function writeGuardFor(meta: DocMeta, doc: Y.Doc): WriteGuard | undefined {
  return meta.kind === 'attack' ? new MarksGuard(doc) : undefined;
}
