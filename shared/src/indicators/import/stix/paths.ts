/**
 * Which Huntroom type a STIX object path (in a pattern) or an observable property stands for. Paths are
 * compared in one spelling: lower case, quotes removed, list indexes as [*], hash names without dashes
 * (STIX writes 'SHA-256'; producers also write SHA256, sha256 and 'sha-256').
 */

/** STIX hash algorithm names (any spelling) to Huntroom hash types; other algorithms are not kept. */
const HASHES: Record<string, string> = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512', ssdeep: 'ssdeep' };

export const hashType = (algorithm: string): string | undefined => HASHES[algorithm.toLowerCase().replace(/[-_\s]/g, '')];

/** `file:hashes.'SHA-256'` -> `file:hashes.sha-256`; `email-message:to_refs[0].value` -> `email-message:to_refs[*].value`. */
export function canonicalPath(path: string): string {
  return path
    .replace(/'((?:[^'\\]|\\.)*)'/g, (_, s: string) => s.replace(/\\(['\\])/g, '$1'))
    .replace(/\[\d+\]/g, '[*]')
    .toLowerCase();
}

/** Paths whose value is an indicator, by canonical path. */
const PATHS: Record<string, string> = {
  'ipv4-addr:value': 'ip-dst',
  'ipv6-addr:value': 'ip-dst',
  'domain-name:value': 'domain',
  // Not STIX 2.1 core, written by OpenCTI and by Huntroom's own export for host names.
  'hostname:value': 'hostname',
  // What a name resolves to (MISP writes its domain|ip pairs so).
  'domain-name:resolves_to_refs[*].value': 'ip-dst',
  'url:value': 'url',
  'email-addr:value': 'email',
  'email-message:from_ref.value': 'email',
  'email-message:sender_ref.value': 'email',
  'file:name': 'filename',
  'file:parent_directory_ref.path': 'filepath',
  'directory:path': 'filepath',
  'mutex:name': 'mutex',
  'windows-registry-key:key': 'regkey',
  'autonomous-system:number': 'as',
  'network-traffic:dst_ref.value': 'ip-dst',
  'network-traffic:src_ref.value': 'ip-src',
  'network-traffic:extensions.http-request-ext.request_header.user-agent': 'user-agent',
  // OpenCTI's custom observables.
  'user-agent:value': 'user-agent',
  'cryptocurrency-wallet:value': 'btc',
};

/** Why a path's value is not imported when Huntroom has no type for it, or undefined to pass quietly. */
const SKIPPED_OBJECTS: Record<string, string> = {
  software: 'STIX software names a product, not an indicator',
  'email-message:to_refs': 'the recipient of an e-mail message is a target, not an indicator',
};

export interface PathMeaning {
  type: string;
  /** A tag saying what the value was in STIX when the Huntroom type alone would lose it. */
  tag?: string;
}

/** The Huntroom type of a canonical path's value, if any. */
export function pathType(canonical: string): PathMeaning | undefined {
  const direct = PATHS[canonical];
  if (direct) return { type: direct };
  const hash = /^(file|artifact|x509-certificate):hashes\.([^.]+)$/.exec(canonical);
  if (hash) {
    const type = hashType(hash[2]!);
    // A certificate's thumbprint is a hash of the certificate, not of a file: the tag keeps that.
    return type ? { type, ...(hash[1] === 'x509-certificate' ? { tag: 'x509-certificate' } : {}) } : undefined;
  }
  // Huntroom's own export writes types STIX has no object for (ja3, other...) as x-huntroom-<type>:value.
  const own = /^x-huntroom-([a-z0-9-]+):value$/.exec(canonical);
  if (own) return { type: own[1]! };
  return undefined;
}

/** A reason to report a comparison on a path Huntroom skips on purpose. */
export function skippedPathReason(canonical: string): string | undefined {
  const object = canonical.slice(0, canonical.indexOf(':'));
  if (SKIPPED_OBJECTS[object]) return SKIPPED_OBJECTS[object];
  if (/^email-message:(to|cc|bcc)_refs/.test(canonical)) return SKIPPED_OBJECTS['email-message:to_refs'];
  return undefined;
}
