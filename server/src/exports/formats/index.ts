/** The export formats: each turns the recipient's handoff data into one file. */
import { exportLayer, type AttackDomain } from '@huntroom/shared';
import { zipSync, strToU8 } from 'fflate';
import type { HandoffData } from '../collect.js';
import { buildStixBundle } from './stix.js';
import { buildMispEvent } from './misp.js';
import { buildCsv } from './csv.js';
import { buildHostsCsv, buildTimelineCsv } from './huntCsv.js';
import { renderHtml, renderMarkdown, reportModel } from './report.js';
import { tlpNotice } from './tlpNotice.js';

import { EXPORT_FORMATS, type ExportFormat } from './names.js';

export { EXPORT_FORMATS, type ExportFormat };

export interface ExportFile {
  name: string;
  type: string;
  body: string | Uint8Array;
}

export interface LayerSource {
  domain: AttackDomain;
  attackVersion: string;
  known: Set<string>;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export function buildExport(format: ExportFormat, data: HandoffData, layer: LayerSource): ExportFile {
  const base = `huntroom-${data.recipient.code}-${data.generatedAt.slice(0, 10)}`;
  switch (format) {
    case 'stix':
      return { name: `${base}.stix.json`, type: 'application/stix+json;version=2.1', body: json(buildStixBundle(data)) };
    case 'misp':
      return { name: `${base}.misp.json`, type: 'application/json', body: json(buildMispEvent(data)) };
    case 'csv':
      return { name: `${base}.csv`, type: 'text/csv; charset=utf-8', body: buildCsv(data) };
    case 'hosts.csv':
      return { name: `${base}.hosts.csv`, type: 'text/csv; charset=utf-8', body: buildHostsCsv(data) };
    case 'timeline.csv':
      return { name: `${base}.timeline.csv`, type: 'text/csv; charset=utf-8', body: buildTimelineCsv(data) };
    case 'layer': {
      const marks = data.marks.filter((m) => layer.known.has(m.techniqueId));
      return {
        name: `${base}.${layer.domain}.layer.json`,
        type: 'application/json',
        body: json(
          exportLayer(marks, {
            domain: layer.domain,
            attackVersion: layer.attackVersion,
            name: `${data.workspace.name} (for ${data.recipient.code})`,
            // Labelled always: without a board the recipient may see, the layer is empty, and CLEAR says so.
            tlp: data.boardTlp ?? 'CLEAR',
          }),
        ),
      };
    }
    case 'report.md':
      return { name: `${base}.report.md`, type: 'text/markdown; charset=utf-8', body: renderMarkdown(reportModel(data)) };
    case 'report.html':
      return { name: `${base}.report.html`, type: 'text/html; charset=utf-8', body: renderHtml(reportModel(data)) };
    case 'package.zip': {
      const parts = EXPORT_FORMATS.filter((f) => f !== 'package.zip').map((f) => buildExport(f, data, layer));
      // The package's TLP label first, as a file named for it (tlpNotice.ts).
      const notice = tlpNotice(data);
      const files: Record<string, Uint8Array> = { [notice.name]: strToU8(notice.text) };
      for (const p of parts) files[p.name] = typeof p.body === 'string' ? strToU8(p.body) : p.body;
      return { name: `${base}.zip`, type: 'application/zip', body: zipSync(files, { level: 6, mtime: new Date(data.generatedAt) }) };
    }
  }
}
