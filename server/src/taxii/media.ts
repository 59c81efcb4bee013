/**
 * TAXII 2.1 media types and content negotiation (OASIS TAXII 2.1, section 1.6.8.1 and 3.2). A client
 * names the TAXII media type (with or without `version=2.1`) or a wildcard; any other Accept is
 * answered 406, as the specification asks.
 */
import type { Response } from 'express';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** Whether an Accept header admits TAXII 2.1 JSON. A missing header admits anything (RFC 9110, 12.5.1). */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (!accept?.trim()) return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const named = new Map(params.map((p) => p.split('=').map((s) => s.trim().replace(/^"|"$/g, '')) as [string, string]));
    if (named.get('q') === '0' || named.get('q') === '0.0') return false;
    if (type === '*/*' || type === 'application/*') return true;
    if (type !== 'application/taxii+json') return false;
    const version = named.get('version');
    return version === undefined || version === '2.1';
  });
}

/** Sends a TAXII resource with the TAXII media type; never cached, since it depends on the caller's team. */
export function sendTaxii(res: Response, body: unknown, status = 200): void {
  res.status(status);
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.setHeader('Cache-Control', 'no-store');
  // end(), not send(): send() would rewrite the media type (adding a charset and spaces) that TAXII clients compare.
  res.end(JSON.stringify(body));
}
