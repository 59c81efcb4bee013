/**
 * TLP 2.0 markings and the one function that decides who may see a marked item (DESIGN.md section 4).
 * The server calls `canSee` on every path that leaves it; nothing else may decide visibility.
 */
import * as z from 'zod';

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export const tlpLevelSchema = z.enum(TLP_LEVELS);
export type TlpLevel = z.infer<typeof tlpLevelSchema>;

export const markingSchema = z.object({
  tlp: tlpLevelSchema,
  /** Team ids the item may be released to; empty means every team of the workspace (except for RED). */
  releasableTo: z.array(z.string().min(1).max(64)).max(100).default([]),
});
export type Marking = z.infer<typeof markingSchema>;

export interface MarkedItem {
  marking: Marking;
  /** The author's team, which always sees its own items. */
  ownerTeamId: string;
}

/** True when a member of `viewerTeamId` may see `item`. */
export function canSee(viewerTeamId: string, item: MarkedItem): boolean {
  if (viewerTeamId === item.ownerTeamId) return true;
  const { tlp, releasableTo } = item.marking;
  switch (tlp) {
    case 'CLEAR':
    case 'GREEN':
    case 'AMBER':
      return releasableTo.length === 0 || releasableTo.includes(viewerTeamId);
    case 'AMBER+STRICT':
      return false;
    case 'RED':
      return releasableTo.includes(viewerTeamId);
    default:
      // A level this build does not know (a stored row from elsewhere, a cast): fail closed with a
      // real boolean, so a caller testing `=== false` cannot read `undefined` as "visible".
      return false;
  }
}

/** Colours of the FIRST TLP 2.0 standard, for badges. */
export const TLP_COLORS: Record<TlpLevel, { fg: string; bg: string }> = {
  CLEAR: { fg: '#ffffff', bg: '#000000' },
  GREEN: { fg: '#33ff00', bg: '#000000' },
  AMBER: { fg: '#ffc000', bg: '#000000' },
  'AMBER+STRICT': { fg: '#ffc000', bg: '#000000' },
  RED: { fg: '#ff2b2b', bg: '#000000' },
};
