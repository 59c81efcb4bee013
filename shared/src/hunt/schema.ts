/**
 * Record-plane commands of hunt operations (issue 18): networks, hosts, findings and timeline events.
 * Every item carries a marking exactly as indicators do (`tlp`, `releasableTo` as team codes; the
 * owner team is the writer's). References to other items are ids; the server checks the writer can
 * see each one (a hidden one answers like a missing one) and that the item is no wider than them.
 */
import * as z from 'zod';
import { tlpLevelSchema } from '../markings/tlp.js';
import { workspaceIdSchema } from '../records/schema.js';
import { teamCodesSchema, techniqueIdSchema } from '../records/indicators.js';
import { findingKindSchema, findingStatusSchema, hostRoleSchema, hostStateSchema, levelSchema } from './enums.js';
import { canonicalAddress } from './identity.js';

export const HUNT_LIMITS = {
  nameMax: 200,
  textMax: 20_000,
  hostnameMax: 253,
  addressesMax: 64,
  osMax: 200,
  linksMax: 200,
  /** Items per bulk command (hosts or timeline events), judged one by one, one transaction. */
  bulkMax: 5_000,
  listMax: 1_000,
} as const;

const idSchema = z.string().min(1).max(64);
const idsSchema = z.array(idSchema).max(HUNT_LIMITS.linksMax);
const text = (max: number) => z.string().trim().max(max);
const iso = z.iso.datetime({ offset: true });
const teamCodeSchema = z.string().trim().toUpperCase().min(1).max(64);

/** The marking fields every hunt item accepts; absent means "as the item it belongs to" (see server). */
const marking = { tlp: tlpLevelSchema.optional(), releasableTo: teamCodesSchema.optional() };

export const addressSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((a) => canonicalAddress(a) !== null, 'use an IPv4, IPv6 or MAC address')
  .transform((a) => canonicalAddress(a)!);

/** An IANA zone (`Europe/Riga`), `UTC`, or a fixed offset (`+02:00`): kept beside the UTC time. */
export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((tz) => /^[+-](0\d|1[0-4]):?[0-5]\d$/.test(tz) || validZone(tz), 'use an IANA time zone such as Europe/Riga, UTC, or an offset such as +02:00');

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// ---- networks
const networkFields = {
  name: text(HUNT_LIMITS.nameMax).min(1, 'a network needs a name'),
  partner: text(HUNT_LIMITS.nameMax).optional(),
  /** Code of the team hunting on it. */
  huntingTeam: teamCodeSchema.optional(),
  periodFrom: iso.optional(),
  periodTo: iso.optional(),
  rulesOfEngagement: text(HUNT_LIMITS.textMax).optional(),
  ...marking,
};
const periodOrder = (v: { periodFrom?: string | undefined; periodTo?: string | undefined }) => !v.periodFrom || !v.periodTo || Date.parse(v.periodFrom) <= Date.parse(v.periodTo);
const periodIssue = { message: 'the period ends before it starts', path: ['periodTo'] };
export const createNetworkSchema = z.object({ workspaceId: workspaceIdSchema, ...networkFields }).refine(periodOrder, periodIssue);
export type CreateNetworkInput = z.infer<typeof createNetworkSchema>;
export const updateNetworkSchema = z
  .object({ workspaceId: workspaceIdSchema, id: idSchema, ...networkFields, name: networkFields.name.optional(), huntingTeam: teamCodeSchema.nullable().optional() })
  .refine(periodOrder, periodIssue);
export type UpdateNetworkInput = z.infer<typeof updateNetworkSchema>;

// ---- hosts
const hostFields = {
  hostname: text(HUNT_LIMITS.hostnameMax).optional(),
  addresses: z.array(addressSchema).max(HUNT_LIMITS.addressesMax).optional(),
  os: text(HUNT_LIMITS.osMax).optional(),
  role: hostRoleSchema.optional(),
  criticality: levelSchema.optional(),
  state: hostStateSchema.optional(),
  notes: text(HUNT_LIMITS.textMax).optional(),
  ...marking,
};
/** One host of a create or a bulk; it needs a hostname or at least one address to be found again. */
const hostBase = z.object({ networkId: idSchema, ...hostFields });
const named = (h: { hostname?: string | undefined; addresses?: string[] | undefined }) => !!h.hostname || !!h.addresses?.length;
const unnamedIssue = { message: 'a host needs a hostname or an address', path: ['hostname'] };
export const hostItemSchema = hostBase.refine(named, unnamedIssue);
export type HostItemInput = z.infer<typeof hostItemSchema>;
export const createHostSchema = hostBase.extend({ workspaceId: workspaceIdSchema }).refine(named, unnamedIssue);
export type CreateHostInput = z.infer<typeof createHostSchema>;
/** Items are judged one by one (hostItemSchema each): a bad row is reported by index, the rest saved. */
export const bulkCreateHostsSchema = z.object({ workspaceId: workspaceIdSchema, items: z.array(z.unknown()).min(1).max(HUNT_LIMITS.bulkMax) });
export const updateHostSchema = z.object({ workspaceId: workspaceIdSchema, id: idSchema, ...hostFields });
export type UpdateHostInput = z.infer<typeof updateHostSchema>;

// ---- findings
const findingFields = {
  kind: findingKindSchema,
  severity: levelSchema.optional(),
  status: findingStatusSchema.optional(),
  title: text(HUNT_LIMITS.nameMax).min(1, 'a finding needs a title'),
  description: text(HUNT_LIMITS.textMax).optional(),
  indicatorIds: idsSchema.optional(),
  techniques: z.array(techniqueIdSchema).max(100).optional(),
  relatedFindingIds: idsSchema.optional(),
  ...marking,
};
export const createFindingSchema = z.object({ workspaceId: workspaceIdSchema, hostId: idSchema, ...findingFields });
export type CreateFindingInput = z.infer<typeof createFindingSchema>;
export const updateFindingSchema = z.object({
  workspaceId: workspaceIdSchema,
  id: idSchema,
  ...findingFields,
  kind: findingKindSchema.optional(),
  title: findingFields.title.optional(),
});
export type UpdateFindingInput = z.infer<typeof updateFindingSchema>;

// ---- timeline events
const eventFields = {
  /** When it happened, with its offset; stored in UTC. */
  at: iso,
  /** The source's time zone; when absent, the offset written in `at` (`Z` is UTC). */
  sourceTimeZone: timeZoneSchema.optional(),
  hostId: idSchema.optional(),
  description: text(HUNT_LIMITS.textMax).min(1, 'an event needs a description'),
  source: text(HUNT_LIMITS.nameMax).optional(),
  /** Code of the team whose event it is; the writer's team when absent. */
  team: teamCodeSchema.optional(),
  indicatorIds: idsSchema.optional(),
  techniques: z.array(techniqueIdSchema).max(100).optional(),
  findingIds: idsSchema.optional(),
  ...marking,
};
export const timelineItemSchema = z.object(eventFields);
export type TimelineItemInput = z.infer<typeof timelineItemSchema>;
export const createTimelineEventSchema = z.object({ workspaceId: workspaceIdSchema, ...eventFields });
export const bulkCreateTimelineSchema = z.object({ workspaceId: workspaceIdSchema, items: z.array(z.unknown()).min(1).max(HUNT_LIMITS.bulkMax) });
export const updateTimelineEventSchema = z.object({
  workspaceId: workspaceIdSchema,
  id: idSchema,
  ...eventFields,
  at: iso.optional(),
  description: eventFields.description.optional(),
  hostId: idSchema.nullable().optional(),
});
export type UpdateTimelineEventInput = z.infer<typeof updateTimelineEventSchema>;

/** Delete of any hunt item. */
export const deleteHuntItemSchema = z.object({ workspaceId: workspaceIdSchema, id: idSchema });

// ---- list queries (GET …/networks, …/hosts, …/findings, …/timeline)
const page = { cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(HUNT_LIMITS.listMax).optional() };
export const listNetworksQuerySchema = z.object({ ...page, team: teamCodeSchema.optional(), q: z.string().max(500).optional() });
export const listHostsQuerySchema = z.object({ ...page, network: idSchema.optional(), state: hostStateSchema.optional(), q: z.string().max(500).optional() });
export const listFindingsQuerySchema = z.object({ ...page, host: idSchema.optional(), network: idSchema.optional(), status: findingStatusSchema.optional() });
export const listTimelineQuerySchema = z
  .object({
    ...page,
    from: iso.optional(),
    to: iso.optional(),
    host: idSchema.optional(),
    network: idSchema.optional(),
    team: teamCodeSchema.optional(),
    technique: z.string().trim().toUpperCase().max(16).optional(),
    q: z.string().max(500).optional(),
  })
  .refine((v) => !v.from || !v.to || Date.parse(v.from) <= Date.parse(v.to), { message: '`to` is before `from`', path: ['to'] });
export type ListNetworksQuery = z.infer<typeof listNetworksQuerySchema>;
export type ListHostsQuery = z.infer<typeof listHostsQuerySchema>;
export type ListFindingsQuery = z.infer<typeof listFindingsQuerySchema>;
export type ListTimelineQuery = z.infer<typeof listTimelineQuerySchema>;
