/**
 * XML character references in attribute values, decoded here rather than by the XML library: the
 * library's entity processing is off, so a document type cannot declare entities that expand (the
 * "billion laughs" family). Only the five predefined entities and numeric references are decoded.
 */
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

/**
 * True when the document declares entities or an internal DTD subset. Nmap never writes one (at most
 * `<!DOCTYPE nmaprun>`), so such a file is refused before any parser sees it.
 */
export const declaresEntities = (xml: string): boolean => /<!ENTITY/i.test(xml) || /<!DOCTYPE[^>[]*\[/i.test(xml);
