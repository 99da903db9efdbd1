/**
 * A Socket.IO client written on a bare TCP socket, so a test can stop reading from the socket
 * the way a frozen browser tab does. It performs the WebSocket handshake, joins the default
 * namespace, and then only watches for the connection to close.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { withTimeout } from './helpers.ts';

export interface StalledClient {
  readonly socket: Socket;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;
  /** Stops reading: the kernel buffers fill and the server's writes back up. */
  stopReading(): void;
  destroy(): void;
}

/** Encodes a masked client-to-server text frame (payloads under 126 bytes). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

export async function connectStalledClient(port: number): Promise<StalledClient> {
  const socket = connectTcp(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  let received = Buffer.alloc(0);
  const seen = (text: string) => received.includes(Buffer.from(text));
  const waitFor = (text: string, what: string) =>
    withTimeout(
      new Promise<void>((resolve) => {
        const check = () => {
          if (!seen(text)) return;
          socket.off('data', onData);
          resolve();
        };
        const onData = (chunk: Buffer) => {
          received = Buffer.concat([received, chunk]);
          check();
        };
        socket.on('data', onData);
        check();
      }),
      5000,
      what,
    );

  await withTimeout(new Promise<void>((resolve) => socket.once('connect', () => resolve())), 5000, 'TCP connect');
  const key = randomBytes(16).toString('base64');
  socket.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await waitFor('0{"sid"', 'the engine.io open packet');
  socket.write(textFrame('40'));
  await waitFor('40{"sid"', 'the Socket.IO connect acknowledgement');
  // Keep the socket flowing until stopReading(); the data itself is not needed.
  socket.on('data', () => undefined);

  return {
    socket,
    closed,
    stopReading: () => socket.pause(),
    destroy: () => socket.destroy(),
  };
}
