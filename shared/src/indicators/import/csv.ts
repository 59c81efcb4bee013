/** CSV (RFC 4180) into candidates. */
import { CandidateSet, type Candidate } from '../candidates.js';
import { isIndicatorType } from '../types.js';
import { ImportError } from './errors.js';

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        field += ch;
        if (ch === '\n') line++;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
      line++;
    } else field += ch;
  }
  if (quoted) throw new ImportError(`CSV: a quoted field opened before line ${line} is never closed`);
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/** CSV with a header naming `type` and `value` (and optionally comment, tags), or one value column. */
export function importCsv(text: string): Candidate[] {
  const rows = parseCsvRows(text);
  if (rows.length === 0) throw new ImportError('CSV: the file is empty');
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const set = new CandidateSet();
  const col = (name: string) => header.indexOf(name);
  if (col('value') === -1) throw new ImportError('CSV: the first row must name the columns, with at least "value" (and "type")');
  const [ti, vi, ci, gi] = [col('type'), col('value'), col('comment'), col('tags')];
  rows.slice(1).forEach((r, i) => {
    const value = r[vi]?.trim();
    if (!value) return;
    const type = ti === -1 ? 'other' : (r[ti]?.trim().toLowerCase() ?? '');
    if (!isIndicatorType(type)) throw new ImportError(`CSV row ${i + 2}: unknown type "${type}"`);
    const tags =
      gi === -1
        ? []
        : (r[gi] ?? '')
            .split(/[;|]/)
            .map((t) => t.trim())
            .filter(Boolean);
    set.add(type, value, { comment: ci === -1 ? undefined : r[ci]?.trim() || undefined, tags });
  });
  return set.list();
}
