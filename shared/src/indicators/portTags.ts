/**
 * An address seen with a port: one model for every import and export. The value of an ip-src/ip-dst
 * (hostname, domain) indicator is the host alone, so `198.51.100.20:8443` and `198.51.100.20` are one
 * indicator; each port it was seen with is kept as a tag `port:<n>` on it. A tag needs no new column,
 * travels through the bulk command, the live events and every export as it is, and the exports that
 * have a native shape for a port (MISP `ip-dst|port`, STIX network-traffic `dst_port`) write it there
 * from these tags (docs/interop.md, "Addresses with a port").
 */

/** Types whose value may be seen with a port (free text, MISP `hostname|port`): the port becomes a tag. */
export const PORT_TYPES: ReadonlySet<string> = new Set(['ip-src', 'ip-dst', 'hostname', 'domain']);

const PORT_TAG = /^port:(\d{1,5})$/;

export const isValidPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

export const portTag = (port: number): string => `port:${port}`;

/** The port a tag names, or undefined when it is not a port tag (`port:0` and `port:70000` are plain tags). */
export function portOfTag(tag: string): number | undefined {
  const m = PORT_TAG.exec(tag);
  if (!m) return undefined;
  const n = Number(m[1]);
  return isValidPort(n) && String(n) === m[1] ? n : undefined;
}

/** The ports an indicator's tags name, ascending, each once. */
export function portsOfTags(tags: readonly string[]): number[] {
  const out = new Set<number>();
  for (const t of tags) {
    const p = portOfTag(t);
    if (p !== undefined) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}

/** Tags without the port tags: what an export writes as tags when it writes the ports natively. */
export const withoutPortTags = (tags: readonly string[]): string[] => tags.filter((t) => portOfTag(t) === undefined);

/** `tags` with the tag of `port` added once (a new array; the input is left as it is). */
export function withPortTag(tags: readonly string[] | undefined, port: number): string[] {
  const t = portTag(port);
  return tags?.includes(t) ? [...tags] : [...(tags ?? []), t];
}
