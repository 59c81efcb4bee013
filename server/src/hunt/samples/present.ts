/** Sample rows as clients see them, and the indicators an upload offers. */
import type { MarkedItem, SampleView, SuggestedIndicator } from '@huntroom/shared';
import type { TeamIndex } from '../../indicators/present.js';
import type { SampleRow } from './store.js';

export const presentSample = (r: SampleRow, teams: TeamIndex): SampleView => ({
  id: r.id,
  workspaceId: r.workspace_id,
  findingId: r.finding_id,
  filename: r.filename,
  size: Number(r.size),
  md5: r.md5,
  sha1: r.sha1,
  sha256: r.sha256,
  zipSize: Number(r.zip_size),
  uploadedBy: r.created_by,
  team: teams.ref(r.team_id),
  createdAt: r.created_at,
});

/**
 * The three hashes as indicator items for `POST …/indicators/bulk`, carrying the finding's marking
 * (its level and its teams plus its owner, so the indicator is no wider than the finding). They are
 * offered, not created: the person decides, and an indicator made in their name is one they saw.
 */
export function suggestedIndicators(r: SampleRow, finding: MarkedItem, teams: TeamIndex): SuggestedIndicator[] {
  const list = finding.marking.releasableTo;
  const releasableTo = list.length ? teams.codes([...new Set([...list, finding.ownerTeamId])]) : [];
  const source = `malware sample ${r.filename}`.slice(0, 200);
  return (['md5', 'sha1', 'sha256'] as const).map((type) => ({ type, value: r[type], tlp: finding.marking.tlp, releasableTo, source }));
}
