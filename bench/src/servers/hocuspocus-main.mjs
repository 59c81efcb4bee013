// Hocuspocus 4.x with its default configuration (no extensions, no persistence), on the port given.
// Run by servers/hocuspocus.mjs in its own pinned process.
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true });
await server.listen();
console.log(`READY ${server.address?.port ?? process.env.PORT}`);
