/** Where a single node keeps its SQLite database, known before the storage code is loaded (demo/password.ts). */
import { join } from 'node:path';

export const sqliteFile = (dataDir: string): string => join(dataDir, 'huntroom.sqlite');
