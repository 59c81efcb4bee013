/**
 * Builds one export file in a thread of the worker pool (workers/pool.ts). Formatting 100,000
 * indicators as STIX and zipping a package takes seconds of CPU; on the main thread that would freeze
 * every live socket of the node (notes, boards, handoffs) for as long. The task starts before the main
 * thread reads the indicators and the timeline's events: once it says it runs, they arrive over
 * `parts` (see build.ts) a page at a time as the main thread reads them, already filtered (collect.ts),
 * so the main thread holds one page at a time and a task waiting in the pool's queue holds none. They
 * arrive as rows and are presented here, part by part: presenting them (and collecting the garbage of
 * 100,000 views) on the main thread held every socket.
 *
 * A client that accepts gzip gets every format but the ZIP gzipped here, in this thread (`gzip`).
 * The file goes back over `out` in pieces of PIECE bytes, each a transferred buffer of its own, all
 * posted at once, and the task ends: its thread is free for the next task however slowly the client
 * downloads. The main thread takes them off its port one at a time as the socket drains, and drops
 * each once written (routes.ts, build.ts). Not as one transferred buffer: V8 counts a transferred
 * buffer (80-150 MB of STIX or MISP for 100,000 indicators) as the receiving isolate's external
 * memory, and the main isolate answered with a full collection, the longest pause an export still
 * caused (docs/performance.md, "Read in pages into the export thread").
 */
import type { MessagePort } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import type { CommentView, IndicatorView, SightingView, TimelineEventView } from '@huntroom/shared';
import { buildExport, type ExportFormat, type LayerSource } from './formats/index.js';
import type { CollectedHead, IndicatorPage } from './collect.js';
import { presentComment, presentIndicator, presentSighting, TeamIndex } from '../indicators/present.js';
import { presentTimelineEvent } from '../hunt/timeline/present.js';
import type { TimelineRow } from '../hunt/timeline/store.js';

export interface ExportTaskInput {
  format: ExportFormat;
  layer: LayerSource;
  data: CollectedHead;
  parts: MessagePort;
  /** Where the file's pieces go. */
  out: MessagePort;
  /** The pieces are of the file gzipped (formats/names.ts, `sentGzipped`; the client accepts gzip). */
  gzip: boolean;
}

/** What the task answers once every piece of the file is on `out`. */
export interface BuiltFile {
  name: string;
  type: string;
  /** Bytes in all, the sum of the pieces' (of the gzipped file when it is). */
  size: number;
  /** 'gzip' when the pieces are the file gzipped: the answer's Content-Encoding. */
  encoding?: 'gzip';
}

/** Bytes per piece: what the main thread writes to the socket per turn of its event loop. */
export const PIECE = 256 * 1024;

/**
 * zlib's fastest level: STIX of 100,000 indicators (147.5 MiB) packs to 8.0 MiB at it, and the export
 * took 4.33 s to the last byte against 4.25 s sent as is (docs/performance.md, "Exports gzipped"); a
 * higher level would spend seconds more of the export thread for the last few MiB.
 */
export const GZIP_LEVEL = 1;

/**
 * A page of indicators (with their sightings and comments) or of the timeline's events, then
 * `{ done: true }` after the last one, or `{ failed: true }` when the main thread could not read them.
 */
export type ExportPart = IndicatorPage | { events: TimelineRow[] } | { done: true } | { failed: true };

export function exportTask({ format, layer, data, parts, out, gzip }: ExportTaskInput): Promise<BuiltFile> {
  const indicators: IndicatorView[] = [];
  const sightings = new Map<string, SightingView[]>();
  const comments = new Map<string, CommentView[]>();
  const timeline: TimelineEventView[] = [];
  const teams = new TeamIndex(data.teams);
  const add = <T>(m: Map<string, T[]>, key: string, v: T) => (m.get(key) ?? m.set(key, []).get(key)!).push(v);
  return new Promise((resolve, reject) => {
    parts.on('message', (m: ExportPart) => {
      if ('items' in m) {
        for (const r of m.items) indicators.push(presentIndicator(r, teams));
        for (const s of m.sightings) add(sightings, s.indicator_id, presentSighting(s, teams));
        for (const c of m.comments) add(comments, c.indicator_id, presentComment(c, teams));
        return;
      }
      if ('events' in m) {
        for (const r of m.events) timeline.push(presentTimelineEvent(r, teams));
        return;
      }
      if ('failed' in m) {
        out.close();
        parts.close();
        reject(new Error('the export was stopped: its rows could not be read'));
        return;
      }
      try {
        const file = buildExport(format, { ...data, indicators, sightings, comments, hunt: { ...data.hunt, timeline } }, layer);
        const plain = typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : file.body;
        const body = gzip ? gzipSync(plain, { level: GZIP_LEVEL }) : plain;
        // Each piece a copy in a buffer of its own: a Buffer may be a view into a shared pool, and a
        // transfer moves the whole ArrayBuffer.
        for (let i = 0; i < body.byteLength; i += PIECE) {
          const piece = new Uint8Array(body.subarray(i, i + PIECE));
          out.postMessage(piece, [piece.buffer]);
        }
        // What was posted stays on the main thread's end after this side closes.
        out.close();
        parts.close();
        resolve({ name: file.name, type: file.type, size: body.byteLength, ...(gzip ? { encoding: 'gzip' as const } : {}) });
      } catch (err) {
        out.close();
        parts.close();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    parts.postMessage({ ready: true });
  });
}
