/** The servers under test, by id. Each has `start()` returning an instance with `docs(n)`. */
import huntroom, { huntroomServer } from './huntroom.mjs';
import ywebsocket from './ywebsocket.mjs';
import hocuspocus from './hocuspocus.mjs';

export const SERVERS = { huntroom, 'y-websocket': ywebsocket, hocuspocus };

// `BENCH_HUNTROOM_BEFORE=<path of another build's app.js> --servers=huntroom-before,huntroom,...`:
// the same benchmark on the code before a change, side by side in one run (before/after numbers).
if (process.env.BENCH_HUNTROOM_BEFORE) {
  SERVERS['huntroom-before'] = huntroomServer({ id: 'huntroom-before', label: 'Huntroom (before)', app: process.env.BENCH_HUNTROOM_BEFORE });
}
