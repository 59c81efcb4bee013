/**
 * Delivery of committed events to the sockets that may see them: one emit per team room of the
 * workspace, each carrying only that team's visible events in seq order (a single event under its own
 * name, several as one `record:batch`). Called synchronously right after commit, so on one node
 * emits leave in commit order and a client may track the highest seq it has seen.
 */
import type { RecordEvent, ServerToClientEvents } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { visibleTo, type Audience } from './visibility.js';

export interface Outgoing {
  event: RecordEvent;
  audience: Audience;
}

export interface Delivery {
  teamId: string;
  events: RecordEvent[];
}

/** Which team gets which events: pure, so the filtering is unit-tested without sockets. */
export function deliveryPlan(teamIds: readonly string[], out: readonly Outgoing[]): Delivery[] {
  const plan: Delivery[] = [];
  for (const teamId of teamIds) {
    const events = out.filter((o) => visibleTo(teamId, o.audience)).map((o) => o.event);
    if (events.length) plan.push({ teamId, events });
  }
  return plan;
}

export function deliver(ctx: Pick<AppContext, 'realtime'>, workspaceId: string, teamIds: readonly string[], out: readonly Outgoing[]): void {
  for (const { teamId, events } of deliveryPlan(teamIds, out)) {
    if (events.length === 1) {
      const e = events[0]!;
      // The event's own name (`indicator:created`...) is a key of the shared event map by construction.
      ctx.realtime.toTeam(workspaceId, teamId, e.type as keyof ServerToClientEvents, e);
    } else {
      ctx.realtime.toTeam(workspaceId, teamId, 'record:batch', { workspaceId, events });
    }
  }
}
