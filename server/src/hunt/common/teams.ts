/** Team codes named in hunt items (a network's hunting team, an event's team) resolved to ids. */
import type { TeamIndex } from '../../indicators/present.js';
import { invalid } from './rules.js';

export function teamIdOf(teams: TeamIndex, code: string, field: string): string {
  const id = teams.idOf(code);
  if (!id) throw invalid(field, `unknown team: ${code}`);
  return id;
}
