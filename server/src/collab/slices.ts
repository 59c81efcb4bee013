/**
 * A large Yjs update cut into small ones that can be applied one at a time, in order, each complete
 * in itself: the main thread integrates a large document (a cold load, a big upload) a slice per turn
 * of the event loop instead of in one call that stops every other room for seconds.
 *
 * Yjs applies one update in one synchronous call and offers no way to split it, so the slices are
 * written here from the decoded structs with Yjs' own encoder (the same bytes `writeStructs` would
 * write). Order matters: an item whose origin, right origin or parent is not there yet would be put
 * aside by Yjs as pending and retried on every later update (slow, and a slice would no longer be
 * complete). So a client's structs are taken in clock order, and one client's run stops at the first
 * struct that depends on another client's struct not yet emitted: the slices follow a causal order,
 * which exists for any state Yjs produced. If none exists (a damaged or partial update), what is left
 * goes into one last slice, and Yjs handles it as it would have handled the whole.
 *
 * The delete set goes last, cut by ranges, so every item it names is there when it arrives.
 * Runs in a worker thread (loadWorker.ts, trialWorker.ts): decoding a 3 MB state takes a second.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

export interface SliceLimits {
  /** Structs per slice at most (an item of a scattered-edit note costs some 10 µs to integrate, more on a big document). */
  structs: number;
  /** Bytes of content per slice at most, roughly (long inserts are few structs but many bytes). */
  bytes: number;
  /** Delete-set ranges per slice at most. */
  deleteRanges: number;
}

export const DEFAULT_SLICE_LIMITS: Readonly<SliceLimits> = { structs: 128, bytes: 16 * 1024, deleteRanges: 1_000 };

type Struct = Y.Item | Y.GC | Y.Skip;

interface Run {
  client: number;
  structs: Struct[];
  from: number;
  to: number;
}

/** Cuts `update` (Yjs v1) into slices that, applied in order, give the same state. Throws on malformed bytes. */
export function sliceUpdate(update: Uint8Array, limits: SliceLimits = DEFAULT_SLICE_LIMITS): Uint8Array[] {
  const { structs, ds } = Y.decodeUpdate(update);
  const byClient = new Map<number, Struct[]>();
  for (const s of structs as Struct[]) {
    const list = byClient.get(s.id.client);
    if (list) list.push(s);
    else byClient.set(s.id.client, [s]);
  }
  // Structs of several clients are integrated by Yjs in an order of its own (highest client first,
  // jumping to a missing dependency's client); slices in another causal order can cost far more in
  // Yjs' conflict resolution (a crafted update of 40 clients' concurrent inserts: 0.3 s whole, over
  // 20 s in slices). Until the slices follow Yjs' own order, such an update stays whole.
  if (byClient.size > 1) return [update];
  // Clock each client has reached in the slices so far; structs before a client's first one in the
  // update are taken as present (the document being updated holds them, or Yjs will wait for them).
  const reached = new Map<number, number>();
  const cursor = new Map<number, number>();
  for (const [client, list] of byClient) {
    reached.set(client, list[0]!.id.clock);
    cursor.set(client, 0);
  }
  const present = (id: Y.ID | null | undefined, self: number): boolean => !id || id.client === self || !reached.has(id.client) || id.clock < reached.get(id.client)!;
  const ready = (s: Struct): boolean => {
    if (!(s instanceof Y.Item)) return true;
    const c = s.id.client;
    const parent = s.parent instanceof Y.ID ? s.parent : null;
    return present(s.origin, c) && present(s.rightOrigin, c) && present(parent, c);
  };

  const out: Uint8Array[] = [];
  let runs: Run[] = [];
  let count = 0;
  let bytes = 0;
  const emit = () => {
    if (runs.length) out.push(encodeRuns(runs));
    runs = [];
    count = 0;
    bytes = 0;
  };
  let left = structs.length;
  while (left > 0) {
    let progressed = false;
    for (const [client, list] of byClient) {
      let i = cursor.get(client)!;
      const from = i;
      while (i < list.length && count < limits.structs && bytes < limits.bytes && ready(list[i]!)) {
        const s = list[i]!;
        reached.set(client, s.id.clock + s.length);
        bytes += s instanceof Y.Item ? s.content.getLength() + 8 : 4;
        count++;
        i++;
      }
      if (i > from) {
        runs.push({ client, structs: list, from, to: i });
        cursor.set(client, i);
        left -= i - from;
        progressed = true;
      }
      if (count >= limits.structs || bytes >= limits.bytes) emit();
    }
    // One run per client and slice: a slice ends with the pass.
    emit();
    if (!progressed) {
      // No causal order (the update is partial or damaged): the rest in one slice, as Yjs would take it whole.
      for (const [client, list] of byClient) {
        const i = cursor.get(client)!;
        if (i < list.length) runs.push({ client, structs: list, from: i, to: list.length });
      }
      emit();
      break;
    }
  }
  for (const part of cutDeleteSet(ds, limits.deleteRanges)) out.push(part);
  return out;
}

function encodeRuns(runs: Run[]): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, runs.length);
  for (const { client, structs, from, to } of runs) {
    encoding.writeVarUint(encoder.restEncoder, to - from);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, structs[from]!.id.clock);
    for (let i = from; i < to; i++) structs[i]!.write(encoder, 0);
  }
  // An empty delete set.
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/** The delete set as updates with no structs, at most `maxRanges` ranges each. */
function cutDeleteSet(ds: ReturnType<typeof Y.decodeUpdate>['ds'], maxRanges: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let parts: [number, { clock: number; len: number }[]][] = [];
  let n = 0;
  const emit = () => {
    if (!parts.length) return;
    const encoder = new Y.UpdateEncoderV1();
    encoding.writeVarUint(encoder.restEncoder, 0);
    encoding.writeVarUint(encoder.restEncoder, parts.length);
    for (const [client, ranges] of parts) {
      encoder.resetDsCurVal();
      encoding.writeVarUint(encoder.restEncoder, client);
      encoding.writeVarUint(encoder.restEncoder, ranges.length);
      for (const r of ranges) {
        encoder.writeDsClock(r.clock);
        encoder.writeDsLen(r.len);
      }
    }
    out.push(encoder.toUint8Array());
    parts = [];
    n = 0;
  };
  for (const [client, ranges] of ds.clients as Map<number, { clock: number; len: number }[]>) {
    let i = 0;
    while (i < ranges.length) {
      const take = ranges.slice(i, i + (maxRanges - n));
      parts.push([client, take]);
      n += take.length;
      i += take.length;
      if (n >= maxRanges) emit();
    }
  }
  emit();
  return out;
}
