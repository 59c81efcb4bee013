/**
 * Migration 13: an index for the TAXII feed's keyset paging (server/src/taxii/objects.ts). Each page
 * reads a workspace's indicators in (updated_at, id) order after a cursor; without this index the
 * store scanned and sorted every row of the workspace for each page. With it, a page's query seeks
 * to the cursor and reads the page in order (EXPLAIN in docs/interop.md, "Paging").
 */
import type { Migration } from './types.js';

export const taxiiKeyset: Migration = {
  version: 13,
  name: 'indicators: index on (workspace_id, updated_at, id) for the TAXII keyset paging',
  up: () => [`CREATE INDEX indicators_keyset ON indicators(workspace_id, updated_at, id)`],
};
