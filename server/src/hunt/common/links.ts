/**
 * Items a hunt item refers to, loaded and checked: each must exist and be visible to the writer (a
 * hidden one answers "<kind> not found", as a missing one), and becomes a `Ref` for the no-wider rule.
 */
import { canSee, type Account } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import { indicatorStore, type IndicatorRow } from '../../indicators/store.js';
import { itemOf, markedItem } from './rows.js';
import { invalid, KIND_LABEL, type Ref } from './rules.js';
import { findingStore, type FindingRow } from '../findings/store.js';
import { AppError } from '../../http/errors.js';

const notFound = (kind: keyof typeof KIND_LABEL, field: string) =>
  new AppError('not_found', `${KIND_LABEL[kind]} not found`, { [`payload.${field}`]: `${KIND_LABEL[kind]} not found` });

/** The indicators of `ids` (all visible, else 404), in the order given. */
export async function linkedIndicators(db: Db, account: Account, workspaceId: string, ids: readonly string[]): Promise<IndicatorRow[]> {
  const unique = [...new Set(ids)];
  const rows = new Map((await indicatorStore.manyById(db, workspaceId, unique)).map((r) => [r.id, r]));
  return unique.map((id) => {
    const r = rows.get(id);
    if (!r || !canSee(account.team.id, markedItem(r))) throw notFound('indicator', 'indicatorIds');
    return r;
  });
}

export async function linkedFindings(db: Db, account: Account, workspaceId: string, ids: readonly string[], field: string, self?: string): Promise<FindingRow[]> {
  const unique = [...new Set(ids)];
  if (self && unique.includes(self)) throw invalid(field, 'a finding cannot refer to itself');
  const rows = new Map((await findingStore.manyById(db, workspaceId, unique)).map((r) => [r.id, r]));
  return unique.map((id) => {
    const r = rows.get(id);
    if (!r || !canSee(account.team.id, itemOf(r))) throw notFound('finding', field);
    return r;
  });
}

export const refsOf = (kind: Ref['kind'], rows: readonly Parameters<typeof markedItem>[0][]): Ref[] => rows.map((r) => ({ kind, item: markedItem(r) }));
