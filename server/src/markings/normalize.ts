/**
 * Marking input of the titled documents (notes, whiteboards, the ATT&CK board) through the one
 * normalization of shared/ (`normalizeMarking`), which keeps or narrows and never widens. Team names
 * may be ids or codes; an unknown one is a 400 that changes nothing, never silently dropped.
 */
import { normalizeMarking, type Marking, type MarkingInput } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { teamStore } from '../teams/store.js';
import { AppError } from '../http/errors.js';

export async function normalizeMarkingInput(db: Db, input: MarkingInput, field = 'marking.releasableTo'): Promise<Marking> {
  const r = normalizeMarking(input, await teamStore.list(db));
  if (!r.ok) throw new AppError('validation_failed', `Invalid input (${field}: ${r.message})`, { [field]: r.message });
  return r.marking;
}
