#!/usr/bin/env node
/**
 * `node src/thin/check.mjs [servers=huntroom,y-websocket,hocuspocus] [rooms=4] [perRoom=10] [seconds=3]`:
 * checks that the two thin clients (lean.mjs, ws.mjs) count the same. Per server, each room gets one
 * writer and `perRoom` receivers of each client side by side; after the writers stop and a drain,
 * every receiver must have seen every edit of its room exactly once (from its step 2 or as an update),
 * and each client's update count must equal its markers seen as updates. Prints one line per server
 * and client; exits 1 on any difference.
 */
import { SERVERS } from '../servers/index.mjs';
import { Writer, driveEdits } from '../writer.mjs';
import { THIN_CLIENTS, connectAll, closeAll } from '../thin.mjs';
import { sleep } from '../stats.mjs';

const [serverList = 'huntroom,y-websocket,hocuspocus', rooms = '4', perRoom = '10', seconds = '3'] = process.argv.slice(2);
let bad = 0;

for (const id of serverList.split(',')) {
  const inst = await SERVERS[id].start();
  try {
    const targets = await inst.docs(Number(rooms));
    const writers = targets.map((t) => new Writer(t));
    await Promise.all(writers.map((w) => w.connect()));
    const receivers = [];
    for (const [kind, Client] of Object.entries(THIN_CLIENTS)) {
      targets.forEach((t, room) => {
        for (let i = 0; i < Number(perRoom); i++) {
          const r = { kind, room, seen: new Map(), updates: 0, markerUpdates: 0 };
          r.client = new Client(t, {
            onMarker: (seq, _now, isUpdate) => {
              r.seen.set(seq, (r.seen.get(seq) ?? 0) + 1);
              if (isUpdate) r.markerUpdates++;
            },
            onMessage: () => r.updates++,
          });
          receivers.push(r);
        }
      });
    }
    const { failed, errors } = await connectAll(receivers.map((r) => r.client));
    const stop = driveEdits(writers, 10);
    await sleep(Number(seconds) * 1000);
    stop();
    await sleep(1500); // drain
    for (const kind of Object.keys(THIN_CLIENTS)) {
      let missing = 0;
      let doubled = 0;
      let updates = 0;
      let markerUpdates = 0;
      for (const r of receivers.filter((x) => x.kind === kind)) {
        const sent = writers[r.room].sentAt.length;
        for (let s = 0; s < sent; s++) {
          const n = r.seen.get(s) ?? 0;
          if (n === 0) missing++;
          if (n > 1) doubled++;
        }
        updates += r.updates;
        markerUpdates += r.markerUpdates;
      }
      const edits = writers.reduce((n, w) => n + w.sentAt.length, 0);
      const ok = !failed && !missing && !doubled && updates === markerUpdates;
      if (!ok) bad++;
      console.log(
        `${id} ${kind}: ${edits} edits, ${missing} missing, ${doubled} doubled, ${updates} updates, ${markerUpdates} markers in updates, connect failures ${failed} ${JSON.stringify(errors)} ${ok ? 'OK' : 'DIFFERENT'}`,
      );
    }
    for (const w of writers) w.close();
    await closeAll(receivers.map((r) => r.client));
  } finally {
    await inst.stop();
  }
}
process.exit(bad ? 1 : 0);
