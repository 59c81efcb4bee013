/** The servers under test, by id. Each has `start()` returning an instance with `docs(n)`. */
import huntroom from './huntroom.mjs';
import ywebsocket from './ywebsocket.mjs';
import hocuspocus from './hocuspocus.mjs';

export const SERVERS = { huntroom, 'y-websocket': ywebsocket, hocuspocus };
