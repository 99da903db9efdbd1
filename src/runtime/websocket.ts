/**
 * The WebSocket client used for the upstream connection. Both runtimes use the `ws` package:
 * Node 20 has no global WebSocket, and Deno's built-in one cannot send pings, observe pongs or
 * pause reading, which the consumer's stall watchdog and backpressure rely on.
 */
import WebSocket from 'ws';

/** The part of a `ws` client socket the consumer uses; tests may wrap it to count sockets. */
export interface UpstreamSocket {
  readonly readyState: number;
  on(event: 'open', listener: () => void): this;
  on(event: 'message', listener: (data: WebSocket.RawData, isBinary: boolean) => void): this;
  on(event: 'pong', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  ping(): void;
  /** Stops reading from the TCP socket; frames already read may still be delivered. */
  pause(): void;
  resume(): void;
  close(code?: number, reason?: string): void;
  /** Destroys the TCP socket without a closing handshake. */
  terminate(): void;
}

export interface UpstreamSocketOptions {
  /** Offer permessage-deflate; must be false when asking Jetstream for zstd frames. */
  perMessageDeflate: boolean;
  /** Largest frame `ws` accepts before it closes the connection with 1009. */
  maxPayload: number;
  /** Time allowed for the opening handshake, in milliseconds. */
  handshakeTimeoutMs: number;
}

/** Opens a client socket to `url`; connection errors arrive as `error` then `close` events. */
export type UpstreamSocketFactory = (url: string, options: UpstreamSocketOptions) => UpstreamSocket;

export const WEBSOCKET_OPEN = WebSocket.OPEN;

export const createUpstreamSocket: UpstreamSocketFactory = (url, options) =>
  new WebSocket(url, {
    perMessageDeflate: options.perMessageDeflate,
    maxPayload: options.maxPayload,
    handshakeTimeout: options.handshakeTimeoutMs,
    // Redirects would let an endpoint move the consumer to a host nobody configured.
    followRedirects: false,
    // With validation on, one text frame with invalid UTF-8 makes `ws` close the connection
    // (1007); the consumer instead decodes with replacement characters and validates the JSON.
    skipUTF8Validation: true,
  });
