/** MISP event JSON into candidates. */
import { CandidateSet, type Candidate } from '../candidates.js';
import { isIndicatorType } from '../types.js';
import { strictestTlp, tlpOfName } from '../../markings/stixTlp.js';
import { ImportError } from './errors.js';

const MISP_TYPES: Record<string, string> = {
  'ip-dst|port': 'ip-dst',
  'ip-src|port': 'ip-src',
  'domain|ip': 'domain',
  'email-src': 'email',
  'email-dst': 'email',
  'filename|md5': 'md5',
  'filename|sha1': 'sha1',
  'filename|sha256': 'sha256',
  link: 'url',
  AS: 'as',
  vulnerability: 'cve',
  btc: 'btc',
  'ja3-fingerprint-md5': 'ja3',
  'windows-registry-key': 'regkey',
};

interface MispAttribute {
  type?: unknown;
  value?: unknown;
  comment?: unknown;
  Tag?: { name?: unknown }[];
}

/** A MISP attribute type and value as a Huntroom type and value (also used by the CSV importer for MISP's CSV export). */
export function mispValue(type: string, value: string): [string, string] {
  const mapped = MISP_TYPES[type] ?? type;
  if (type.includes('|')) {
    const [a = '', b = ''] = value.split('|');
    if (type.endsWith('|port')) return [mapped, `${a}:${b}`];
    return type.startsWith('filename|') ? [mapped, b] : [mapped, a];
  }
  return [mapped, value];
}

const tlpOfTags = (names: string[]) => strictestTlp(names.flatMap((n) => (/^tlp:/i.test(n) && tlpOfName(n) ? [tlpOfName(n)!] : [])));

export function importMisp(json: unknown): Candidate[] {
  const root = json as { Event?: { Attribute?: unknown; Object?: unknown; Tag?: unknown } };
  const event = root?.Event;
  if (!event || typeof event !== 'object') throw new ImportError('MISP: expected an object with an "Event"');
  const set = new CandidateSet();
  const eventTags = Array.isArray(event.Tag) ? (event.Tag as { name?: unknown }[]).map((t) => t?.name).filter((n): n is string => typeof n === 'string') : [];
  const take = (attrs: unknown, where: string) => {
    if (attrs === undefined) return;
    if (!Array.isArray(attrs)) throw new ImportError(`MISP: ${where} must be a list`);
    attrs.forEach((a: MispAttribute, i) => {
      if (typeof a?.type !== 'string' || typeof a.value !== 'string') throw new ImportError(`MISP: ${where}[${i}] needs a string type and value`);
      const [type, value] = mispValue(a.type, a.value);
      const own = (a.Tag ?? []).map((t) => t?.name).filter((n): n is string => typeof n === 'string');
      // tlp: tags become the marking, not tags: the attribute's own (the strictest if several), else
      // the event's, as in MISP, where an attribute's tag is the more specific.
      const tlp = tlpOfTags(own) ?? tlpOfTags(eventTags);
      const tags = own.filter((n) => !/^tlp:/i.test(n));
      set.add(isIndicatorType(type) ? type : 'other', value, { comment: typeof a.comment === 'string' && a.comment ? a.comment : undefined, tags, tlp });
    });
  };
  take(event.Attribute, 'Event.Attribute');
  if (event.Object !== undefined) {
    if (!Array.isArray(event.Object)) throw new ImportError('MISP: Event.Object must be a list');
    event.Object.forEach((o: { Attribute?: unknown }, i: number) => take(o?.Attribute, `Event.Object[${i}].Attribute`));
  }
  return set.list();
}
