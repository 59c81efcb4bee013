import type { NetworkView } from '@huntroom/shared';
import type { TeamIndex } from '../../indicators/present.js';
import { presentBase } from '../common/rows.js';
import type { NetworkRow } from './store.js';

export const presentNetwork = (r: NetworkRow, teams: TeamIndex): NetworkView => ({
  ...presentBase(r, teams),
  name: r.name,
  partner: r.partner,
  huntingTeam: r.hunting_team_id ? teams.ref(r.hunting_team_id) : null,
  periodFrom: r.period_from,
  periodTo: r.period_to,
  rulesOfEngagement: r.rules_of_engagement,
});
