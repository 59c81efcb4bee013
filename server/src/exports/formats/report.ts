/**
 * The handoff report: summary, timeline, indicators by status, techniques observed, and the notes
 * releasable to the recipient. Built once as a plain model, then written as Markdown or as printable
 * HTML. The HTML is written from the model, not from the Markdown, with every value escaped: values
 * come from attackers' infrastructure and from other teams' notes. Indicator values, and the URLs,
 * addresses and domains inside note bodies (defangText.ts), are defanged so a click in a viewer cannot
 * reach the attacker. Both files carry the TLP 2.0 label at the top and the bottom, and the printed
 * HTML on every page, in FIRST's colours.
 */
import { defang, INDICATOR_STATUSES, strictestTlp, TLP_COLORS, type TlpLevel } from '@huntroom/shared';
import type { HandoffData } from '../collect.js';
import { defangText } from '../defangText.js';
import { escapeHtml as esc } from '../noteHtml.js';
import { huntSections, huntSummary } from './huntReport.js';

interface Table {
  head: string[];
  rows: string[][];
}
export interface Section {
  title: string;
  text?: string[];
  table?: Table;
  /** A note's body as Markdown, indicators defanged (the Markdown report). */
  body?: string;
  /** The same body as safe HTML (collect.ts builds it with noteHtml.ts; the HTML report). */
  html?: string;
  sub?: boolean;
}
interface Report {
  title: string;
  tlp: TlpLevel;
  meta: string[];
  sections: Section[];
}

const day = (iso: string) => iso.slice(0, 16).replace('T', ' ') + ' UTC';

export function reportModel(data: HandoffData): Report {
  const { indicators, recipient } = data;
  const { hunt } = data;
  const huntLevels = [...hunt.networks, ...hunt.hosts, ...hunt.findings, ...hunt.timeline].map((i) => i.tlp);
  const tlp = strictestTlp([...indicators.map((i) => i.tlp), ...data.notes.map((n) => n.marking.tlp), ...huntLevels]) ?? 'CLEAR';
  const byStatus = INDICATOR_STATUSES.map((s) => [s, indicators.filter((i) => i.status === s)] as const);
  const observed = new Map<string, Set<string>>();
  for (const m of data.marks.filter((x) => x.status === 'observed')) observed.set(m.techniqueId, (observed.get(m.techniqueId) ?? new Set()).add(m.team));
  for (const i of indicators) for (const t of i.techniques) observed.set(t, (observed.get(t) ?? new Set()).add(i.ownerTeam.code));

  const timeline = [
    ...indicators.map((i) => ({ at: i.createdAt, what: `${i.ownerTeam.code} added ${i.type} ${defang(i.value)} (TLP:${i.tlp})` })),
    ...indicators.flatMap((i) =>
      (data.sightings.get(i.id) ?? []).map((s) => ({ at: s.seenAt, what: `${s.team.code} sighted ${defang(i.value)}${s.context ? `: ${s.context}` : ''}` })),
    ),
    ...data.notes.map((n) => ({ at: n.updatedAt, what: `${n.ownerTeam} note “${n.title}” last changed` })),
  ].sort((a, b) => a.at.localeCompare(b.at));

  const sections: Section[] = [
    {
      title: 'Summary',
      text: [
        `${indicators.length} indicators: ${
          byStatus
            .filter(([, l]) => l.length)
            .map(([s, l]) => `${l.length} ${s}`)
            .join(', ') || 'none'
        }.`,
        `${observed.size} ATT&CK techniques observed; ${data.notes.length} notes.`,
        `Contributing teams: ${[...new Set(indicators.map((i) => i.ownerTeam.code))].sort().join(', ') || 'none'}.`,
        ...(huntSummary(data) ? [huntSummary(data)!] : []),
      ],
    },
    { title: 'Timeline', table: { head: ['When', 'What'], rows: timeline.map((e) => [day(e.at), e.what]) } },
    ...byStatus
      .filter(([, list]) => list.length > 0)
      .map(([status, list]): Section => ({
        title: `Indicators: ${status} (${list.length})`,
        sub: true,
        table: {
          head: ['Type', 'Value', 'TLP', 'Team', 'First seen', 'ATT&CK', 'Tags'],
          rows: list.map((i) => [i.type, defang(i.value), i.tlp, i.ownerTeam.code, day(i.firstSeen), i.techniques.join(' '), i.tags.join(' ')]),
        },
      })),
    {
      title: 'Techniques observed',
      table: {
        head: ['Technique', 'Name', 'Teams'],
        rows: [...observed.entries()]
          .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
          .map(([t, teams]) => [t, data.techniqueNames.get(t) ?? '', [...teams].sort().join(' ')]),
      },
    },
    ...huntSections(data),
    ...data.notes.map((n): Section => ({ title: `Note: ${n.title} (TLP:${n.marking.tlp}, ${n.ownerTeam})`, sub: true, body: defangText(n.markdown), html: n.html })),
  ];
  return {
    title: `${data.workspace.name}: handoff to ${recipient.name} (${recipient.code})`,
    tlp,
    meta: [
      `Prepared for ${recipient.name} (${recipient.code}) on ${day(data.generatedAt)}.`,
      'Holds only what is releasable to that team. Indicator values, and the URLs, addresses and domains in notes, are defanged.',
    ],
    sections,
  };
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderMarkdown(r: Report): string {
  const out = [`**TLP:${r.tlp}**`, '', `# ${r.title}`, '', ...r.meta, ''];
  for (const s of r.sections) {
    out.push(`${s.sub ? '###' : '##'} ${s.title}`, '');
    if (s.text) out.push(...s.text, '');
    if (s.table) {
      if (s.table.rows.length === 0) out.push('None.', '');
      else {
        out.push(`| ${s.table.head.join(' | ')} |`, `|${s.table.head.map(() => ' --- |').join('')}`);
        // One push per row: a spread of 100,000 rows would overflow the call stack.
        for (const row of s.table.rows) out.push(`| ${row.map(mdCell).join(' | ')} |`);
        out.push('');
      }
    }
    if (s.body !== undefined) out.push(s.body || '_Empty._', '');
  }
  // TLP 2.0: the label at the top and the bottom of the document.
  out.push('---', '', `**TLP:${r.tlp}**`, '');
  return out.join('\n');
}

export function renderHtml(r: Report): string {
  const c = TLP_COLORS[r.tlp];
  const label = (cls: string) => `<p class="tlp ${cls}" style="color:${c.fg};background:${c.bg}">TLP:${esc(r.tlp)}</p>`;
  const banner = label('');
  // Fixed elements repeat on every printed page: the marking is on each sheet, as TLP 2.0 asks.
  const parts = [label('print-head'), label('print-foot'), banner, `<h1>${esc(r.title)}</h1>`, ...r.meta.map((m) => `<p class="meta">${esc(m)}</p>`)];
  for (const s of r.sections) {
    parts.push(`<${s.sub ? 'h3' : 'h2'}>${esc(s.title)}</${s.sub ? 'h3' : 'h2'}>`);
    for (const t of s.text ?? []) parts.push(`<p>${esc(t)}</p>`);
    if (s.table) {
      parts.push(
        s.table.rows.length === 0
          ? '<p>None.</p>'
          : `<table><thead><tr>${s.table.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${s.table.rows.map((row) => `<tr>${row.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
      );
    }
    if (s.html !== undefined) parts.push(`<div class="note">${s.html || '<p>Empty.</p>'}</div>`);
    else if (s.body !== undefined) parts.push(`<pre class="note">${esc(s.body || 'Empty.')}</pre>`);
  }
  parts.push(banner);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(r.title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;color:#111;max-width:1100px;margin:24px auto;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}h3{font-size:15px;margin-top:20px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f2f2f2}.tlp{display:inline-block;font-weight:700;padding:2px 10px;border-radius:3px}.meta{color:#444}
pre.note{white-space:pre-wrap;background:#fafafa;border:1px solid #ddd;padding:8px;font:13px/1.4 ui-monospace,monospace}
div.note{border-left:3px solid #ccc;padding:0 12px;overflow-wrap:anywhere}div.note pre{white-space:pre-wrap;background:#f6f6f6;padding:8px}
div.note code{font:13px ui-monospace,monospace}div.note blockquote{margin:0 0 0 8px;padding-left:8px;border-left:2px solid #ddd;color:#444}
ul.tasks{list-style:none;padding-left:8px}.print-head,.print-foot{display:none}
@media print{body{margin:0;max-width:none}h2,h3{break-after:avoid}tr{break-inside:avoid}
.print-head,.print-foot{display:block;position:fixed;right:0;margin:0}.print-head{top:0}.print-foot{bottom:0}
.tlp{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
</style></head><body>
${parts.join('\n')}
</body></html>
`;
}
