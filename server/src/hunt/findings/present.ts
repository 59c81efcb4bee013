import type { FindingView } from '@huntroom/shared';
import type { TeamIndex } from '../../indicators/present.js';
import { list, presentBase } from '../common/rows.js';
import type { FindingRow } from './store.js';

export const presentFinding = (r: FindingRow, teams: TeamIndex): FindingView => ({
  ...presentBase(r, teams),
  hostId: r.host_id,
  networkId: r.network_id,
  kind: r.kind,
  severity: r.severity,
  status: r.status,
  title: r.title,
  description: r.description,
  indicatorIds: list(r.indicator_ids),
  techniques: list(r.techniques),
  relatedFindingIds: list(r.related_finding_ids),
});
