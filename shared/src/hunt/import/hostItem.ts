/**
 * A host as an import reads it, before the person picks the network it goes to: the fields of
 * `hostItemSchema` without `networkId`. Addresses are in canonical form (identity.ts), so the bulk
 * command's deduplication by hostname and address sees an nmap scan and a CSV of the same hosts as
 * the same hosts.
 */
import type { HostItemInput } from '../schema.js';

export type ImportedHost = Omit<HostItemInput, 'networkId'> & { addresses: string[] };
