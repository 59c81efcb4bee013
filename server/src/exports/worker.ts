/**
 * Builds one export file off the main thread. Formatting 100,000 indicators as STIX and zipping a
 * package takes seconds of CPU; on the main thread that would freeze every live socket of the node
 * (notes, boards, handoffs) for as long. The data arrives in parts (see build.ts), the file goes back
 * as a transferred buffer.
 */
import { parentPort } from 'node:worker_threads';
import type { IndicatorView } from '@huntroom/shared';
import { buildExport, type ExportFormat, type LayerSource } from './formats/index.js';
import type { HandoffData } from './collect.js';

export type WorkerMessage =
  | { kind: 'start'; format: ExportFormat; layer: LayerSource; data: Omit<HandoffData, 'indicators'> }
  | { kind: 'indicators'; items: IndicatorView[] }
  | { kind: 'build' };

let job: Extract<WorkerMessage, { kind: 'start' }> | undefined;
const indicators: IndicatorView[] = [];

parentPort!.on('message', (m: WorkerMessage) => {
  if (m.kind === 'start') job = m;
  else if (m.kind === 'indicators') for (const i of m.items) indicators.push(i);
  else {
    const file = buildExport(job!.format, { ...job!.data, indicators }, job!.layer);
    const body = typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : file.body;
    // A Buffer may be a view into a shared pool: copy it into a buffer of its own before transferring.
    const own = new Uint8Array(body.byteLength);
    own.set(body);
    parentPort!.postMessage({ name: file.name, type: file.type, body: own }, [own.buffer]);
    parentPort!.close();
  }
});
