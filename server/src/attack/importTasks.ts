/**
 * The parsing of uploaded ATT&CK files, run in the worker pool (workers/pool.ts): a MITRE bundle is
 * 30+ MB of JSON, and JSON.parse plus the conversion of it would hold the main thread, and with it
 * every socket of the node, for seconds. The bytes arrive transferred; what goes back is small (the
 * gzipped index, or the marks of a layer) or a reason the file is refused.
 */
import { gzipSync } from 'node:zlib';
import { importLayer, type AttackDomain, type LayerImport } from '@huntroom/shared';
import { findIllFormedText } from '../http/text.js';
import { stixToIndex, StixImportError } from './stixToIndex.js';

/** Why a file was refused: not JSON at all (400 bad_request) or JSON that is not what was expected. */
export type Refusal = { refused: 'not-json' } | { refused: 'unusable'; message: string };

function parseJson(bytes: Uint8Array): { value: unknown } | Refusal {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return { refused: 'not-json' };
  }
  // The same rule as every other body (http/text.ts): text we can store and give back unchanged.
  const bad = findIllFormedText(value);
  if (bad) return { refused: 'unusable', message: `${bad}: contains a NUL character or broken Unicode` };
  return { value };
}

export interface AttackImported {
  gz: Uint8Array;
  summary: { domain: AttackDomain; version: string; tactics: number; techniques: number; groups: number; software: number };
}

export function attackImportTask({ bytes }: { bytes: Uint8Array }): AttackImported | Refusal {
  const parsed = parseJson(bytes);
  if ('refused' in parsed) return parsed;
  try {
    const index = stixToIndex(parsed.value);
    const gz = gzipSync(JSON.stringify(index), { level: 9 });
    const summary = {
      domain: index.domain,
      version: index.version,
      tactics: index.tactics.length,
      techniques: index.techniques.length,
      groups: index.groups.length,
      software: index.software.length,
    };
    return { gz: new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength), summary };
  } catch (err) {
    if (err instanceof StixImportError) return { refused: 'unusable', message: err.message };
    throw err;
  }
}

export function layerImportTask({ bytes, team, domain }: { bytes: Uint8Array; team: string; domain: AttackDomain }): LayerImport | Refusal {
  const parsed = parseJson(bytes);
  if ('refused' in parsed) return parsed;
  return importLayer(parsed.value, team, domain);
}
