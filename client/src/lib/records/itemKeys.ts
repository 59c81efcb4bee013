/**
 * The items a command names, for the outbox's per-item order: a command waiting for its item's home
 * instance holds back only the later commands that name one of the same items (outbox.ts).
 *
 * Read from the payload, not from a table of command types, so a new command is covered without an
 * edit here: every string under `id` or a field ending in `Id` (`indicatorId`, `networkId`, `hostId`,
 * `findingId`, `commentId`), every string in `ids` or a field ending in `Ids`, also inside nested
 * objects and arrays (a bulk create's `items[].networkId`). `workspaceId` is not an item: every command
 * names it. Naming too much only makes a command wait longer; naming too little could reorder two
 * changes of one item, so the walk errs on the side of more.
 */
const MAX_DEPTH = 4;

const isItemField = (field: string): boolean => field !== 'workspaceId' && (field === 'id' || field.endsWith('Id'));
const isItemListField = (field: string): boolean => field === 'ids' || field.endsWith('Ids');

export function itemKeysOf(payload: unknown): Set<string> {
  const keys = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v, depth + 1);
      return;
    }
    for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string' && isItemField(field)) keys.add(v);
      else if (Array.isArray(v) && isItemListField(field)) for (const x of v) if (typeof x === 'string') keys.add(x);
      walk(v, depth + 1);
    }
  };
  walk(payload, 0);
  return keys;
}
