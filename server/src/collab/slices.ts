/**
 * A large Yjs update cut into small ones that can be applied one at a time, in order, each complete
 * in itself: the main thread builds a large stored document (a cold load) a few slices per turn of
 * the event loop instead of in one call that stops every other room for seconds.
 *
 * Yjs applies one update in one synchronous call and offers no way to split it, so the slices are
 * written here from the decoded structs with Yjs' own encoder (the same bytes `writeStructs` would
 * write). Order matters twice. An item whose origin, right origin or parent is not there yet would be
 * put aside by Yjs as pending and retried on every later update (slow, and a slice would no longer be
 * complete). And among several clients' concurrent items, the order of integration sets the cost of
 * Yjs' conflict resolution: an earlier version cut runs per client in a causal order of its own, and
 * a crafted update of 40 clients' concurrent inserts took over 20 s in slices against 0.3 s whole. So
 * the structs are taken in the order Yjs' own `integrateStructs` (utils/encoding.js) would integrate
 * them, replayed here without a document: the highest client id first, in clock order, and on an item
 * whose dependency is another client's struct not yet taken, that client's structs until the
 * dependency is there. Cut into consecutive pieces of that order, every slice holds, per client, a
 * run of consecutive clocks (each client is taken in clock order), and everything its items depend on
 * is in it or in an earlier slice. If the replay meets something Yjs would put aside (a gap in a
 * client's clocks, a dependency the update does not hold, a Skip of a merged update), the update is
 * left whole, and Yjs handles it as it always did.
 *
 * The delete set goes last, cut by ranges, so every item it names is there when it arrives.
 * Runs in a worker thread (loadWorker.ts): decoding a 3 MB state takes a second.
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

interface Refs {
  client: number;
  list: Struct[];
  /** The next struct of this client to take. */
  i: number;
}

/**
 * Cuts `update`, a whole state (Yjs v1, as stored or merged from stored rows), into slices that,
 * applied in order to an empty document, give the same state. Throws on malformed bytes.
 * `known`: a state vector the receiver already holds (client to clock), when `update` is a diff against
 * it (Y.diffUpdate): its structs may then start at those clocks and depend on structs below them.
 */
export function sliceUpdate(update: Uint8Array, limits: SliceLimits = DEFAULT_SLICE_LIMITS, known: ReadonlyMap<number, number> = new Map()): Uint8Array[] {
  const { structs, ds } = Y.decodeUpdate(update);
  const refs = new Map<number, Refs>();
  for (const s of structs as Struct[]) {
    const r = refs.get(s.id.client);
    if (r) r.list.push(s);
    else refs.set(s.id.client, { client: s.id.client, list: [s], i: 0 });
  }
  const order = integrationOrder(refs, known);
  if (!order) return [update];

  const out: Uint8Array[] = [];
  // The run of each client in the slice being built, in the order the clients first appear.
  let runs = new Map<number, Run>();
  let count = 0;
  let bytes = 0;
  const emit = () => {
    if (runs.size) out.push(encodeRuns([...runs.values()]));
    runs = new Map();
    count = 0;
    bytes = 0;
  };
  for (const { client, index } of order) {
    const s = refs.get(client)!.list[index]!;
    const run = runs.get(client);
    if (run) run.to = index + 1;
    else runs.set(client, { client, structs: refs.get(client)!.list, from: index, to: index + 1 });
    count++;
    bytes += s instanceof Y.Item ? s.content.getLength() + 8 : 4;
    if (count >= limits.structs || bytes >= limits.bytes) emit();
  }
  emit();
  for (const part of cutDeleteSet(ds, limits.deleteRanges)) out.push(part);
  return out;
}

/**
 * The order in which Yjs' `integrateStructs` would integrate `refs` into an empty document, as
 * (client, index in its list). Undefined when Yjs would put something aside: a client's clocks not
 * starting at 0 or with a gap, a dependency on a struct the update does not hold, a Skip.
 */
function integrationOrder(refs: Map<number, Refs>, known: ReadonlyMap<number, number>): { client: number; index: number }[] | undefined {
  // Clock each client has reached in the order so far: what the receiver holds already (nothing for a
  // whole state), a client absent from the update and from `known` has nothing.
  const reached = new Map<number, number>(known);
  for (const client of refs.keys()) reached.set(client, known.get(client) ?? 0);
  /** The client whose struct `s` still waits for, or null when everything it names is there. */
  const missing = (s: Struct): number | null => {
    if (!(s instanceof Y.Item)) return null;
    const own = s.id.client;
    const absent = (id: Y.ID | null | undefined): boolean => !!id && id.client !== own && id.clock >= (reached.get(id.client) ?? 0);
    if (absent(s.origin)) return s.origin!.client;
    if (absent(s.rightOrigin)) return s.rightOrigin!.client;
    const parent = s.parent instanceof Y.ID ? s.parent : null;
    if (absent(parent)) return parent!.client;
    return null;
  };
  // As Yjs: clients sorted by id, the highest taken first.
  const ids = [...refs.keys()].sort((a, b) => a - b);
  const nextTarget = (): Refs | undefined => {
    while (ids.length) {
      const r = refs.get(ids.at(-1)!)!;
      if (r.i < r.list.length) return r;
      ids.pop();
    }
    return undefined;
  };
  const order: { client: number; index: number }[] = [];
  const stack: { client: number; index: number }[] = [];
  let target = nextTarget();
  if (!target) return order;
  let head = { client: target.client, index: target.i++ };
  for (;;) {
    const s = refs.get(head.client)!.list[head.index]!;
    if (s instanceof Y.Skip) return undefined;
    if (reached.get(head.client)! !== s.id.clock) return undefined;
    const m = missing(s);
    if (m !== null) {
      stack.push(head);
      const r = refs.get(m);
      if (!r || r.i >= r.list.length) return undefined;
      head = { client: m, index: r.i++ };
      continue;
    }
    order.push(head);
    reached.set(head.client, s.id.clock + s.length);
    const popped = stack.pop();
    if (popped) head = popped;
    else if (target.i < target.list.length) head = { client: target.client, index: target.i++ };
    else {
      target = nextTarget();
      if (!target) break;
      head = { client: target.client, index: target.i++ };
    }
  }
  return order;
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
