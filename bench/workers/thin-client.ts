/**
 * A Socket.IO client reduced to what a load generator needs: Engine.IO v4 over one `ws`
 * WebSocket, the Socket.IO v5 connect to the main namespace, pong replies to the server's
 * pings, and `posts` events handed on as raw frames. It costs about half the CPU of
 * socket.io-client per frame, so the server under test, not the load generator, runs out first.
 */
import WebSocket from 'ws';

/** Engine.IO packet types: the first character of each text frame. */
const ENGINE_OPEN = '0';
const ENGINE_CLOSE = '1';
const ENGINE_PING = '2';
const ENGINE_PONG = '3';
const ENGINE_MESSAGE = '4';
/** Socket.IO packet types: the character after the Engine.IO message type. */
const SOCKET_CONNECT = '0';
const SOCKET_DISCONNECT = '1';
const SOCKET_EVENT = '2';
const SOCKET_CONNECT_ERROR = '4';

/** The packet types above as byte values, compared against the first bytes of each frame. */
const byte = (character: string) => character.charCodeAt(0);
const OPEN_BYTE = byte(ENGINE_OPEN);
const CLOSE_BYTE = byte(ENGINE_CLOSE);
const PING_BYTE = byte(ENGINE_PING);
const MESSAGE_BYTE = byte(ENGINE_MESSAGE);
const CONNECT_BYTE = byte(SOCKET_CONNECT);
const DISCONNECT_BYTE = byte(SOCKET_DISCONNECT);
const EVENT_BYTE = byte(SOCKET_EVENT);
const CONNECT_ERROR_BYTE = byte(SOCKET_CONNECT_ERROR);
const POSTS_EVENT_PREFIX = Buffer.from(`${ENGINE_MESSAGE}${SOCKET_EVENT}["posts",`);

export interface ThinClientOptions {
  /** Service URL such as http://127.0.0.1:3000. */
  baseUrl: string;
  /** DASHBOARD_TOKEN, sent in the Socket.IO connect packet as `auth.token`. */
  token?: string;
  /** Called with the bytes of each `posts` event frame (UTF-8 text). */
  onPostsFrame(frame: Buffer): void;
  /** Called once when the connection closes without `close()` having been called. */
  onUnexpectedClose(reason: string): void;
  timeoutMs?: number;
}

export class ThinClient {
  readonly #options: ThinClientOptions;
  #socket: WebSocket | null = null;
  #closing = false;

  constructor(options: ThinClientOptions) {
    this.#options = options;
  }

  /** Opens the WebSocket and resolves once the server has acknowledged the namespace connect. */
  connect(): Promise<void> {
    const { baseUrl, token, timeoutMs = 20_000 } = this.#options;
    const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const socket = new WebSocket(url, { perMessageDeflate: false });
    this.#socket = socket;

    return new Promise((resolve, reject) => {
      let connected = false;
      const timer = setTimeout(() => fail(new Error(`no Socket.IO connect acknowledgement from ${url} within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.terminate();
        reject(error);
      };

      socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
        // With the default binaryType, `ws` delivers each message as one Buffer.
        if (isBinary || !Buffer.isBuffer(data)) return;
        const type = data[0];
        if (type === PING_BYTE) {
          socket.send(ENGINE_PONG);
        } else if (type === MESSAGE_BYTE) {
          const packet = data[1];
          if (packet === EVENT_BYTE && data.subarray(0, POSTS_EVENT_PREFIX.length).equals(POSTS_EVENT_PREFIX)) {
            this.#options.onPostsFrame(data);
          } else if (packet === CONNECT_BYTE && !connected) {
            connected = true;
            clearTimeout(timer);
            resolve();
          } else if (packet === CONNECT_ERROR_BYTE) {
            fail(new Error(`Socket.IO connect rejected: ${data.toString('utf8', 2)}`));
          } else if (packet === DISCONNECT_BYTE) {
            this.#closedByServer('server disconnected the socket');
          }
        } else if (type === OPEN_BYTE) {
          socket.send(token === undefined ? `${ENGINE_MESSAGE}${SOCKET_CONNECT}` : `${ENGINE_MESSAGE}${SOCKET_CONNECT}${JSON.stringify({ token })}`);
        } else if (type === CLOSE_BYTE) {
          this.#closedByServer('server closed the Engine.IO session');
        }
      });
      socket.on('error', (error) => (connected ? undefined : fail(error)));
      socket.on('close', (code) => {
        if (!connected) fail(new Error(`WebSocket closed with code ${code} before the Socket.IO connect`));
        else this.#closedByServer(`WebSocket closed with code ${code}`);
      });
    });
  }

  close(): void {
    this.#closing = true;
    this.#socket?.terminate();
  }

  #closedByServer(reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#options.onUnexpectedClose(reason);
  }
}
