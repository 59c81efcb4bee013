/**
 * The compact ATT&CK index the server ships and serves (GET /api/attack/:domain): what the matrix, the
 * search and the group-overlap panel need, built from MITRE's STIX bundles without their bulk.
 */
import * as z from 'zod';

export const ATTACK_DOMAINS = ['enterprise-attack', 'ics-attack', 'mobile-attack'] as const;
export const attackDomainSchema = z.enum(ATTACK_DOMAINS);
export type AttackDomain = z.infer<typeof attackDomainSchema>;

export interface AttackTactic {
  /** TA0001 */
  id: string;
  /** initial-access: what techniques name in their kill-chain phases. */
  shortname: string;
  name: string;
}

export interface AttackTechnique {
  /** T1059 or T1059.001 */
  id: string;
  name: string;
  /** Tactic shortnames, in no particular order. */
  tactics: string[];
  platforms: string[];
  /** First sentence or so of MITRE's description, citations removed. */
  description: string;
  url: string;
  /** For a sub-technique, its parent's id. */
  parent?: string;
}

export interface AttackGroup {
  /** G0007 */
  id: string;
  name: string;
  aliases: string[];
  techniques: string[];
}

export interface AttackSoftware {
  /** S0001 */
  id: string;
  name: string;
  type: 'malware' | 'tool';
  techniques: string[];
}

export interface AttackIndex {
  domain: AttackDomain;
  /** ATT&CK release, e.g. "18.1", when known. */
  version: string;
  name: string;
  /** In matrix order. */
  tactics: AttackTactic[];
  techniques: AttackTechnique[];
  groups: AttackGroup[];
  software: AttackSoftware[];
}
