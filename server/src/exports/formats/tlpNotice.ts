/**
 * The TLP 2.0 label of a whole export package: a text file at the top of the zip, named for the
 * level, naming the strictest marking inside and what it means, in FIRST's words. Each file in the
 * package carries its items' own markings as well (STIX marking definitions, MISP tlp: tags, a tlp
 * column in every CSV, the report's banner, the layer's name and metadata).
 */
import { strictestTlp, type TlpLevel } from '@huntroom/shared';
import type { HandoffData } from '../collect.js';
import { reportModel } from './report.js';

/** FIRST TLP 2.0 (https://www.first.org/tlp/), the sharing rule of each level. */
const MEANING: Record<TlpLevel, string> = {
  CLEAR: 'Recipients can spread this to the world; there is no limit on disclosure.',
  GREEN: 'Limited disclosure: recipients can spread this within their community, but not via publicly accessible channels.',
  AMBER: 'Limited disclosure: recipients can only spread this on a need-to-know basis within their organization and its clients.',
  'AMBER+STRICT': 'Limited disclosure: recipients can only spread this on a need-to-know basis within their organization only.',
  RED: 'For the eyes and ears of individual recipients only, no further disclosure.',
};

/** The strictest marking of anything the package holds. */
export function packageTlp(data: HandoffData): TlpLevel {
  return strictestTlp([reportModel(data).tlp, ...(data.boardTlp ? [data.boardTlp] : [])]) ?? 'CLEAR';
}

export function tlpNotice(data: HandoffData): { name: string; text: string } {
  const tlp = packageTlp(data);
  const text = [
    `TLP:${tlp}`,
    '',
    MEANING[tlp],
    '',
    `Huntroom export of "${data.workspace.name}" for ${data.recipient.name} (${data.recipient.code}), ${data.generatedAt}.`,
    `TLP:${tlp} is the strictest marking in this package; each file marks its own items (per object or per row).`,
    '',
    `TLP:${tlp}`,
    '',
  ].join('\n');
  return { name: `TLP-${tlp.replace('+', '-')}.txt`, text };
}
