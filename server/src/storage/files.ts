/** Where a single node keeps its SQLite database, known before the storage code is loaded (demo/password.ts). */
import { join } from 'node:path';

export const sqliteFile = (dataDir: string): string => join(dataDir, 'huntroom.sqlite');

/** The update journal of a node on SQLite (collab/updateJournal.ts), beside its database. */
export const updateJournalFile = (dataDir: string): string => join(dataDir, 'huntroom.updates');
