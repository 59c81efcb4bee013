/** Hunt items as sent to clients (REST and record-plane events). Teams are named by code, as on indicators. */
import type { TlpLevel } from '../markings/tlp.js';
import type { TeamRef } from '../records/indicators.js';
import type { FindingKind, FindingStatus, HostRole, HostState, Level } from './enums.js';

/** What every hunt item carries: its marking and who made it, and the seq of its last change. */
export interface HuntItemBase {
  id: string;
  workspaceId: string;
  tlp: TlpLevel;
  /** Team codes; empty means every team of the workspace (except for RED and AMBER+STRICT). */
  releasableTo: string[];
  ownerTeam: TeamRef;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Seq of the last event that changed it: a client keeps the newer of two copies. */
  updatedSeq: number;
}

export interface NetworkView extends HuntItemBase {
  name: string;
  partner: string;
  huntingTeam: TeamRef | null;
  periodFrom: string | null;
  periodTo: string | null;
  rulesOfEngagement: string;
}

/** One state change of a host: who, which team, when. */
export interface HostStateChange {
  from: HostState | null;
  to: HostState;
  accountId: string;
  /** Who made the change, as their display name was then ('' for an account since deleted). */
  displayName: string;
  team: TeamRef;
  at: string;
}

export interface HostView extends HuntItemBase {
  networkId: string;
  hostname: string;
  addresses: string[];
  os: string;
  role: HostRole;
  criticality: Level;
  state: HostState;
  examinedBy: TeamRef | null;
  examinedAt: string | null;
  notes: string;
  /** Every state change, oldest first. */
  stateHistory: HostStateChange[];
}

export interface FindingView extends HuntItemBase {
  hostId: string;
  networkId: string;
  kind: FindingKind;
  severity: Level;
  status: FindingStatus;
  title: string;
  description: string;
  indicatorIds: string[];
  techniques: string[];
  relatedFindingIds: string[];
}

export interface TimelineEventView extends HuntItemBase {
  /** UTC. */
  at: string;
  /** As the source wrote it (`Europe/Riga`, `+02:00`, `UTC`). */
  sourceTimeZone: string;
  hostId: string | null;
  networkId: string | null;
  description: string;
  source: string;
  team: TeamRef;
  indicatorIds: string[];
  techniques: string[];
  findingIds: string[];
}

/** Lists of every hunt kind. `nextCursor` is opaque: pass it back as `cursor`. */
export interface HuntPage<T> {
  items: T[];
  nextCursor: string | null;
  /** Visible items matching the filters, all pages together. */
  total: number;
}

/** Ack data of host:create: `merged` when it matched a host already in the network (by name or address). */
export interface CreateHostResult {
  outcome: 'created' | 'merged' | 'exists-hidden';
  host?: HostView;
  /** Addresses of the item not added because another host of the network already has them. */
  skippedAddresses?: string[];
  /** On a merge: fields sent that were not applied (state, criticality, notes, marking, or an OS/role the host had). */
  ignored?: string[];
}

/** Ack data of the bulk commands: per item, by its index in the batch. */
export interface HuntBulkResult {
  results: (
    | { index: number; outcome: 'created' | 'merged' | 'exists-hidden'; id?: string; skippedAddresses?: string[]; ignored?: string[] }
    | { index: number; outcome: 'rejected'; reason: string }
  )[];
  created: number;
  merged: number;
  rejected: number;
}
