/**
 * The ATT&CK data the server serves: the compact index per domain, shipped in server/data/attack and
 * replaced by an owner's import stored in DATA_DIR/attack (which wins). Each domain is loaded once,
 * kept gzipped with a strong ETag, and served as is to browsers that accept gzip.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AttackDomain, AttackIndex } from '@huntroom/shared';
import { stixToIndex } from './stixToIndex.js';
import { techniqueNames, type TechniqueNames } from './namesTask.js';
import type { WorkerPool } from '../workers/pool.js';

/** Same relative place from server/src/attack, server/dist/attack and the bundle's server/dist/bundle (bundle.mjs). */
export const SHIPPED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/attack');

export interface CatalogEntry {
  gz: Buffer;
  etag: string;
  /** Parsed on first need only: serving needs the bytes, not the objects. */
  index(): AttackIndex;
  /**
   * The version and the techniques' names, parsed in the worker pool (namesTask.ts) unless the index
   * is parsed already; kept once known. An export needs only these, and the main thread stays free.
   */
  names(workers: WorkerPool): Promise<TechniqueNames>;
  source: 'shipped' | 'imported';
}

function entryFrom(gz: Buffer, source: CatalogEntry['source']): CatalogEntry {
  let parsed: AttackIndex | undefined;
  let names: Promise<TechniqueNames> | undefined;
  const index = () => (parsed ??= JSON.parse(gunzipSync(gz).toString('utf8')) as AttackIndex);
  return {
    gz,
    etag: `"${createHash('sha256').update(gz).digest('base64url').slice(0, 27)}"`,
    index,
    names(workers) {
      if (parsed) return Promise.resolve(techniqueNames(parsed));
      // With the pool full (PoolBusyError) or failing, the index is parsed here as it was before: a
      // route that only counts (GET .../export) must not fail for want of a thread.
      return (names ??= workers.run<TechniqueNames>('attackNamesTask', gz).catch(() => techniqueNames(index())));
    },
    source,
  };
}

export class AttackCatalog {
  private readonly cache = new Map<AttackDomain, CatalogEntry>();

  constructor(
    private readonly dataDir: string,
    private readonly shippedDir = SHIPPED_DIR,
  ) {}

  private importedFile(domain: AttackDomain): string {
    return join(this.dataDir, 'attack', `${domain}.json.gz`);
  }

  get(domain: AttackDomain): CatalogEntry {
    let entry = this.cache.get(domain);
    if (!entry) {
      const imported = this.importedFile(domain);
      entry = existsSync(imported) ? entryFrom(readFileSync(imported), 'imported') : entryFrom(readFileSync(join(this.shippedDir, `${domain}.json.gz`)), 'shipped');
      this.cache.set(domain, entry);
    }
    return entry;
  }

  /** Converts and stores a newer bundle; throws StixImportError and changes nothing on a bad one. */
  import(bundle: unknown): AttackIndex {
    const index = stixToIndex(bundle);
    this.store(index.domain, gzipSync(JSON.stringify(index), { level: 9 }));
    return index;
  }

  /** Stores an index converted elsewhere (the import route converts in the worker pool, importTasks.ts). */
  store(domain: AttackDomain, gz: Buffer): void {
    const file = this.importedFile(domain);
    mkdirSync(dirname(file), { recursive: true });
    // Write then rename: a crash mid-write leaves the previous data, never half a file.
    writeFileSync(`${file}.tmp`, gz);
    renameSync(`${file}.tmp`, file);
    this.cache.set(domain, entryFrom(gz, 'imported'));
  }
}

const catalogs = new Map<string, AttackCatalog>();

/** One catalog per data directory, shared by every route that reads ATT&CK, so an import reaches all. */
export function catalogFor(dataDir: string): AttackCatalog {
  let c = catalogs.get(dataDir);
  if (!c) catalogs.set(dataDir, (c = new AttackCatalog(dataDir)));
  return c;
}
