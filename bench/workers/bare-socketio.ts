/**
 * The fan-out scenario's peer: a Socket.IO server with the service's engine options (no
 * compression, no client bundle, the same message limit and connection state recovery) and
 * nothing else. Each client joins one room, as a dashboard joins its feed. It prints the
 * service's "listening" log line, so the harness starts and measures it like the service.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import process from 'node:process';
import { Server } from 'socket.io';
import { MAX_CLIENT_MESSAGE_BYTES, RECOVERY_WINDOW_MS } from '../../src/realtime/index.ts';
import { FEED_ALL_ROOM } from '../../src/realtime/terms.ts';

const server = createServer();
const io = new Server(server, {
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
  connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: true },
});
io.on('connection', (socket) => void socket.join(FEED_ALL_ROOM));

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ level: 30, msg: 'listening', port }));
});

const stop = () => {
  void io.close();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
