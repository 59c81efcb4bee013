import type { TimelineEventView } from '@huntroom/shared';
import type { TeamIndex } from '../../indicators/present.js';
import { list, presentBase } from '../common/rows.js';
import type { TimelineRow } from './store.js';

export const presentTimelineEvent = (r: TimelineRow, teams: TeamIndex): TimelineEventView => ({
  ...presentBase(r, teams),
  at: r.at,
  sourceTimeZone: r.source_time_zone,
  hostId: r.host_id,
  networkId: r.network_id,
  description: r.description,
  source: r.source,
  team: teams.ref(r.team_id),
  indicatorIds: list(r.indicator_ids),
  techniques: list(r.techniques),
  findingIds: list(r.finding_ids),
});
