/**
 * A Jetstream v1 `/subscribe` endpoint that serves a capture. It honours `cursor` (events with
 * `time_us` at or after it), `wantedCollections` (identity and account events are sent
 * regardless), `wantedDids` and `maxMessageSizeBytes`. After the last event it keeps the
 * socket open like a live tail. The `replay` command, tests and benchmarks use it, and tests
 * inject faults through `hooks`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { readCapture, type CaptureEvent } from './capture.ts';
import { createReplayStream, type ReplayEventInfo, type ReplayStream, type SubscribeRequest } from './replay-stream.ts';

export type { ReplayEventInfo, SubscribeRequest } from './replay-stream.ts';

/** One client connection, as seen by hooks. */
export interface ReplayConnection {
  /** 1 for the first connection of this server, then counting up. */
  readonly id: number;
  /** Request URL, with the client's query parameters. */
  readonly url: URL;
  readonly request: SubscribeRequest;
  /** Headers of the upgrade request. */
  readonly headers: IncomingHttpHeaders;
  readonly ws: WebSocket;
  /** The TCP socket under the WebSocket. */
  readonly socket: Socket;
  /** Events written to this connection so far. */
  readonly sent: number;
  /** Stops sending events; the socket stays open and pings are still answered. */
  silence(): void;
  /** Stops reading and writing: pings go unanswered, as on a dead network path. */
  freeze(): void;
  /** Destroys the TCP socket without a close frame (the client sees 1006). */
  drop(): void;
  /** Sends one extra frame in order with the events (a text frame unless `binary`). */
  sendFrame(payload: Buffer | string, binary?: boolean): void;
}

export interface ReplayHooks {
  /** Called for each accepted connection before its first event. */
  onConnection?(connection: ReplayConnection): void;
  /** Called before each event; returning false stops sending on that connection. */
  beforeEvent?(connection: ReplayConnection, event: ReplayEventInfo): boolean | void;
  onClose?(connection: ReplayConnection): void;
}

export interface ReplayServerOptions {
  /** Events to serve; give this or `file`. */
  events?: readonly CaptureEvent[];
  /** NDJSON capture file to serve. */
  file?: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** Multiple of the original pace, or `max` for as fast as the client reads. @default 'max' */
  speed?: number | 'max';
  /** Start over (with shifted times) after the last event instead of idling. @default false */
  loop?: boolean;
  hooks?: ReplayHooks;
  /** Encodes payloads for clients that ask for `compress=true`; without it they get HTTP 400. */
  compressFrame?: (payload: Buffer) => Buffer;
  now?: () => number;
}

export interface ReplayServer {
  /** `ws://host:port/subscribe` */
  readonly url: string;
  readonly port: number;
  readonly eventCount: number;
  /** Connections open now. */
  readonly connections: number;
  /** Maximum number of connections open at the same time. */
  readonly maxConnections: number;
  /** Connections accepted since the start. */
  readonly totalConnections: number;
  /** Request URLs of every accepted connection, in order. */
  readonly requests: readonly URL[];
  /** Close codes received from clients, in order (1006 for a connection lost without one). */
  readonly closeCodes: readonly number[];
  close(): Promise<void>;
}

/** Encodes `payload` as one unmasked (server-to-client) WebSocket frame. */
export function encodeFrame(payload: Buffer, binary = false): Buffer {
  const opcode = binary ? 0x82 : 0x81;
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([opcode, length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

class BadRequest extends Error {}

function integerParameter(query: URLSearchParams, name: string): number | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  if (!/^-?\d+$/.test(raw)) throw new BadRequest(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** Reads the subscription parameters; Jetstream treats a malformed size limit as no limit. */
export function parseSubscribeRequest(url: URL): SubscribeRequest {
  const query = url.searchParams;
  const cursor = integerParameter(query, 'cursor');
  const maxSize = Number(query.get('maxMessageSizeBytes') ?? 0);
  return {
    cursor: cursor !== null && cursor > 0 ? cursor : null,
    wantedCollections: query.getAll('wantedCollections').filter((value) => value !== ''),
    wantedDids: query.getAll('wantedDids').filter((value) => value !== ''),
    maxMessageSizeBytes: Number.isSafeInteger(maxSize) && maxSize > 0 ? maxSize : 0,
  };
}

function rejectUpgrade(socket: Socket, status: string, message: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`);
}

/** Starts a replay server and resolves once it listens. */
export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const given = options.events ?? (options.file ? readCapture(options.file).events : null);
  if (!given) throw new Error('startReplayServer needs `events` or `file`.');
  const events = given;
  const host = options.host ?? '127.0.0.1';
  const speed = options.speed ?? 'max';
  if (speed !== 'max' && !(speed > 0)) throw new RangeError(`Invalid replay speed ${speed}; expected a positive number or "max".`);
  const hooks = options.hooks ?? {};
  const now = options.now ?? (() => performance.now());

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const open = new Set<{ ws: WebSocket; stream: ReplayStream }>();
  const requests: URL[] = [];
  const closeCodes: number[] = [];
  let totalConnections = 0;
  let maxConnections = 0;

  const server: Server = createServer((_request, response) => {
    response.writeHead(426, { 'Content-Type': 'text/plain' }).end('This is a Jetstream replay endpoint; connect with a WebSocket to /subscribe.\n');
  });

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(request.url ?? '/', `ws://${host}`);
    if (url.pathname !== '/subscribe') return rejectUpgrade(socket, '404 Not Found', 'Only /subscribe is served.\n');
    let subscribe: SubscribeRequest;
    try {
      subscribe = parseSubscribeRequest(url);
    } catch (error) {
      return rejectUpgrade(socket, '400 Bad Request', `${(error as Error).message}\n`);
    }
    const compressed = url.searchParams.get('compress') === 'true';
    if (compressed && !options.compressFrame) {
      return rejectUpgrade(socket, '400 Bad Request', 'This replay server sends JSON text frames only; connect without compress=true.\n');
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, socket, url, request.headers, subscribe, compressed));
  });

  function accept(ws: WebSocket, socket: Socket, url: URL, headers: IncomingHttpHeaders, request: SubscribeRequest, compressed: boolean): void {
    totalConnections += 1;
    requests.push(url);
    socket.setNoDelay(true);
    const frame = compressed ? (payload: Buffer) => encodeFrame(options.compressFrame!(payload), true) : (payload: Buffer) => encodeFrame(payload);

    let stream: ReplayStream | null = null;
    const connection: ReplayConnection = {
      id: totalConnections,
      url,
      request,
      headers,
      ws,
      socket,
      get sent() {
        return stream?.sent ?? 0;
      },
      silence: () => stream?.stop(),
      freeze() {
        stream?.stop();
        socket.pause();
      },
      drop() {
        stream?.stop();
        socket.destroy();
      },
      sendFrame(payload, binary = false) {
        const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
        const encoded = encodeFrame(data, binary);
        if (stream) stream.inject(encoded);
        else if (!socket.destroyed) socket.write(encoded);
      },
    };
    stream = createReplayStream({
      events,
      request,
      speed,
      loop: options.loop ?? false,
      socket,
      frame,
      beforeEvent: (event) => hooks.beforeEvent?.(connection, event) !== false,
      now,
    });
    const entry = { ws, stream };
    open.add(entry);
    maxConnections = Math.max(maxConnections, open.size);

    ws.on('close', (code) => {
      open.delete(entry);
      closeCodes.push(code);
      stream!.stop();
      hooks.onClose?.(connection);
    });
    // A client that vanishes makes the socket emit errors; `ws` closes it, which is all we need.
    ws.on('error', () => undefined);

    hooks.onConnection?.(connection);
    stream.start();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `ws://${urlHost}:${port}/subscribe`,
    port,
    eventCount: events.length,
    get connections() {
      return open.size;
    },
    get maxConnections() {
      return maxConnections;
    },
    get totalConnections() {
      return totalConnections;
    },
    requests,
    closeCodes,
    async close() {
      for (const { ws, stream } of open) {
        stream.stop();
        ws.terminate();
      }
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
