/**
 * The fixed vocabularies of hunt operations (issue 18): host roles, criticality, host states, finding
 * kinds, severities and statuses. Wire names are kebab-case, as the indicator statuses are.
 */
import * as z from 'zod';

export const HOST_ROLES = ['domain-controller', 'mail', 'web', 'file', 'database', 'workstation', 'server', 'ot', 'network-device', 'other'] as const;
export const hostRoleSchema = z.enum(HOST_ROLES);
export type HostRole = z.infer<typeof hostRoleSchema>;

/** Criticality of a host and severity of a finding share one scale. */
export const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const levelSchema = z.enum(LEVELS);
export type Level = z.infer<typeof levelSchema>;

export const HOST_STATES = ['not-examined', 'examined-clean', 'suspicious', 'compromised', 'remediated'] as const;
export const hostStateSchema = z.enum(HOST_STATES);
export type HostState = z.infer<typeof hostStateSchema>;

export const FINDING_KINDS = ['malware', 'persistence', 'credential-theft', 'lateral-movement', 'exfiltration', 'misconfiguration', 'other'] as const;
export const findingKindSchema = z.enum(FINDING_KINDS);
export type FindingKind = z.infer<typeof findingKindSchema>;

export const FINDING_STATUSES = ['open', 'confirmed', 'false-positive', 'resolved'] as const;
export const findingStatusSchema = z.enum(FINDING_STATUSES);
export type FindingStatus = z.infer<typeof findingStatusSchema>;

/** The four kinds of hunt items on the record plane; event types are `<kind>:created` etc. */
export const HUNT_KINDS = ['network', 'host', 'finding', 'timeline'] as const;
export type HuntKind = (typeof HUNT_KINDS)[number];
