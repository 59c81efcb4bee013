/**
 * Runs `buildExport` in the worker pool (worker.ts says why) and feeds it the rows as they are read.
 * The task is started first, with the small part of the data (`CollectedHead`); once a thread runs it
 * (it says `ready`), `feed` reads the indicators and the timeline's events a page at a time and each
 * page is posted as soon as it is read, with a turn of the event loop between pages (collect.ts). So
 * the main thread holds one page at a time instead of all 100,000 rows until the worker takes them
 * (holding them, and cloning them in parts afterwards, was most of what an export still cost it), and a
 * task waiting in the queue holds no copy of them.
 *
 * The file comes back in pieces on a port of its own that has no listener: they wait there, outside
 * the main isolate's heap and its count of external memory, until `FilePieces.next` takes one to write
 * it, and `FilePieces.drop` gives each back once written (worker.ts says why not the whole file at once).
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { CollectedHead, RowSink } from './collect.js';
import type { ExportFormat, LayerSource } from './formats/index.js';
import type { BuiltFile, ExportPart } from './worker.js';
import type { WorkerPool } from '../workers/pool.js';

/** Reads the rows into the sink it is given; what it answers is handed back by `buildInWorker`. */
export type Feed<T> = (sink: RowSink) => Promise<T>;

/** The built file: its name, type and size, and its bytes a piece at a time. */
export class FilePieces {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  /** 'gzip' when the pieces are the file gzipped. */
  readonly encoding: 'gzip' | undefined;
  /** A port whose other end is closed: a buffer transferred to it is detached here and freed at once. */
  private readonly bin = new MessageChannel();

  constructor(
    built: BuiltFile,
    private readonly port: MessagePort,
  ) {
    this.name = built.name;
    this.type = built.type;
    this.size = built.size;
    this.encoding = built.encoding;
    this.bin.port2.close();
  }

  /** The next piece, or undefined after the last (every piece is on the port before the task ends). */
  next(): Uint8Array | undefined {
    return receiveMessageOnPort(this.port)?.message as Uint8Array | undefined;
  }

  /**
   * Frees a piece that was written. A buffer received from another thread counts as this isolate's
   * external memory until collected; a few dozen written pieces waiting for a collection would make V8
   * run a full one on the main thread, which is what the pieces are for to avoid.
   */
  drop(piece: Uint8Array): void {
    this.bin.port1.postMessage(null, [piece.buffer as ArrayBuffer]);
  }

  /** Drops the pieces not taken (a client gone mid-download) and frees the ports. */
  close(): void {
    this.port.close();
    this.bin.port1.close();
  }
}

export async function buildInWorker<T>(
  workers: WorkerPool,
  format: ExportFormat,
  head: CollectedHead,
  layer: LayerSource,
  feed: Feed<T>,
  gzip = false,
): Promise<{ file: FilePieces; fed: T }> {
  const parts = new MessageChannel();
  const out = new MessageChannel();
  let done = false;
  const post = (part: ExportPart) => parts.port1.postMessage(part);
  const sink: RowSink = {
    indicators: (page) => post(page),
    events: (events) => post({ events }),
    stopped: () => done,
  };
  // The rows are read once the task runs (it says `ready`); reading them may fail while it waits.
  const fed = new Promise<T>((resolve, reject) => {
    parts.port1.once('message', () => {
      feed(sink).then(
        (v) => {
          post({ done: true });
          resolve(v);
        },
        (err: unknown) => {
          // The rows could not be read: the task ends, and the export fails with the reason.
          reject(err instanceof Error ? err : new Error(String(err)));
          post({ failed: true });
        },
      );
    });
  });
  try {
    const task = workers.run<BuiltFile>('exportTask', { format, layer, data: head, parts: parts.port2, out: out.port2, gzip }, { transferList: [parts.port2, out.port2] });
    const [built, rows] = await Promise.all([task, fed]);
    return { file: new FilePieces(built, out.port1), fed: rows };
  } catch (err) {
    out.port1.close();
    throw err;
  } finally {
    done = true;
    parts.port1.close();
  }
}
