/**
 * What an export needs of an ATT&CK domain's index: its version and each technique's id and name. The
 * enterprise index is some 450 kB of JSON; unzipping and parsing it took 30-45 ms of the main thread on
 * a loaded machine, all in the first export after start (issue 21). Run in the worker pool instead;
 * what comes back is a few hundred short pairs.
 */
import { gunzipSync } from 'node:zlib';
import type { AttackIndex } from '@huntroom/shared';

export interface TechniqueNames {
  version: string;
  /** [id, name] of every technique and sub-technique. */
  techniques: [string, string][];
}

export const techniqueNames = (index: AttackIndex): TechniqueNames => ({ version: index.version, techniques: index.techniques.map((t) => [t.id, t.name]) });

export function attackNamesTask(gz: Uint8Array): TechniqueNames {
  return techniqueNames(JSON.parse(gunzipSync(gz).toString('utf8')) as AttackIndex);
}
