/** MISP's distribution levels from Huntroom markings, shared by indicators (misp.ts) and hunt objects (huntMisp.ts). */
import type { IndicatorView } from '@huntroom/shared';

/**
 * MISP's distribution for a marking, the inverse of the importer's floor (import/misp.ts): never wider
 * than the marking, and read back as no stricter. Releasable to named teams is "your organisation
 * only" (MISP cannot name teams; the teams travel in a tag); AMBER is this community, GREEN the
 * connected communities, CLEAR all; AMBER+STRICT and RED the organisation only.
 */
export function mispDistribution(i: Pick<IndicatorView, 'tlp' | 'releasableTo'>): string {
  if (i.releasableTo.length) return '0';
  return { CLEAR: '3', GREEN: '2', AMBER: '1', 'AMBER+STRICT': '0', RED: '0' }[i.tlp];
}
