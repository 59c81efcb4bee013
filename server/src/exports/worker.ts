/**
 * Builds one export file in a thread of the worker pool (workers/pool.ts). Formatting 100,000
 * indicators as STIX and zipping a package takes seconds of CPU; on the main thread that would freeze
 * every live socket of the node (notes, boards, handoffs) for as long. The indicators arrive in parts
 * over `parts` (see build.ts) once the task has said it runs, so a task waiting in the pool's queue
 * holds no copy of them; the file goes back over the same port as a transferred buffer.
 */
import type { MessagePort } from 'node:worker_threads';
import type { IndicatorView, TimelineEventView } from '@huntroom/shared';
import { buildExport, type ExportFormat, type LayerSource } from './formats/index.js';
import type { HandoffData } from './collect.js';
import type { HuntExport } from './collectHunt.js';

export interface ExportTaskInput {
  format: ExportFormat;
  layer: LayerSource;
  data: Omit<HandoffData, 'indicators' | 'hunt'> & { hunt: Omit<HuntExport, 'timeline'> };
  parts: MessagePort;
}

/** A part of the indicators or of the hunt timeline's events, or `{ done: true }` after the last one. */
export type ExportPart = { items: IndicatorView[] } | { events: TimelineEventView[] } | { done: true };

export function exportTask({ format, layer, data, parts }: ExportTaskInput): Promise<boolean> {
  const indicators: IndicatorView[] = [];
  const timeline: TimelineEventView[] = [];
  return new Promise((resolve, reject) => {
    parts.on('message', (m: ExportPart) => {
      if ('items' in m) {
        for (const i of m.items) indicators.push(i);
        return;
      }
      if ('events' in m) {
        for (const e of m.events) timeline.push(e);
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
