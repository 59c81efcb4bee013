/**
 * Builds one export file in a thread of the worker pool (workers/pool.ts). Formatting 100,000
 * indicators as STIX and zipping a package takes seconds of CPU; on the main thread that would freeze
 * every live socket of the node (notes, boards, handoffs) for as long. The indicators arrive in parts
 * over `parts` (see build.ts) once the task has said it runs, so a task waiting in the pool's queue
 * holds no copy of them. They arrive as rows and are presented here, part by part: presenting them
 * (and collecting the garbage of 100,000 views) on the main thread held every socket. The file goes back over the same port as a transferred buffer.
 */
import type { MessagePort } from 'node:worker_threads';
import type { IndicatorView, TimelineEventView } from '@huntroom/shared';
import { buildExport, type ExportFormat, type LayerSource } from './formats/index.js';
import type { CollectedData } from './collect.js';
import type { CollectedHunt } from './collectHunt.js';
import { presentIndicator, TeamIndex } from '../indicators/present.js';
import type { IndicatorRow } from '../indicators/store.js';
import { presentTimelineEvent } from '../hunt/timeline/present.js';
import type { TimelineRow } from '../hunt/timeline/store.js';

export interface ExportTaskInput {
  format: ExportFormat;
  layer: LayerSource;
  data: Omit<CollectedData, 'indicators' | 'hunt'> & { hunt: Omit<CollectedHunt, 'timeline'> };
  parts: MessagePort;
}

/** A part of the indicators' or of the hunt timeline's rows, or `{ done: true }` after the last one. */
export type ExportPart = { items: IndicatorRow[] } | { events: TimelineRow[] } | { done: true };

export function exportTask({ format, layer, data, parts }: ExportTaskInput): Promise<boolean> {
  const indicators: IndicatorView[] = [];
  const timeline: TimelineEventView[] = [];
  const teams = new TeamIndex(data.teams);
  return new Promise((resolve, reject) => {
    parts.on('message', (m: ExportPart) => {
      if ('items' in m) {
        for (const r of m.items) indicators.push(presentIndicator(r, teams));
        return;
      }
      if ('events' in m) {
        for (const r of m.events) timeline.push(presentTimelineEvent(r, teams));
        return;
      }
      try {
        const file = buildExport(format, { ...data, indicators, hunt: { ...data.hunt, timeline } }, layer);
        const body = typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : file.body;
        // A Buffer may be a view into a shared pool: copy it into a buffer of its own before transferring.
        const own = new Uint8Array(body.byteLength);
        own.set(body);
        parts.postMessage({ name: file.name, type: file.type, body: own }, [own.buffer]);
        parts.close();
        resolve(true);
      } catch (err) {
        parts.close();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    parts.postMessage({ ready: true });
  });
}
