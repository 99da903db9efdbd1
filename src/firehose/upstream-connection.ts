/**
 * The reconnecting upstream WebSocket. It keeps exactly one socket at a time: every socket
 * ends through one `end` path (its `close` event, which `ws` emits after `error` too), and
 * only that path schedules the next attempt. Around it: backoff with jitter, failover across
 * endpoints, pings, a stall watchdog, and pause/resume for backpressure.
 */
import type { Logger } from '../log/logger.ts';
import type { Backoff } from './backoff.ts';
import type { FrameData } from './frame-decoder.ts';
import { WEBSOCKET_OPEN, type UpstreamSocket, type UpstreamSocketFactory, type UpstreamSocketOptions } from '../runtime/websocket.ts';

/** Timer functions, injectable so tests can control time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ConnectionState {
  connected: boolean;
  /** Endpoint in use or being tried; null before the first attempt. */
  endpoint: string | null;
  /** Attempts made after the first one. */
  reconnects: number;
  /** When the consumer last lost (or never had) a connection, in ms; null while connected. */
  disconnectedSince: number | null;
  /** Reason the last connection ended or failed; null before any failure. */
  lastError: string | null;
}

export interface UpstreamConnectionOptions {
  /** Endpoints tried in order; a failing endpoint hands over to the next. */
  endpoints: readonly string[];
  /** Builds the URL of one attempt; called for every attempt so it carries the current cursor. */
  buildUrl(endpoint: string): string;
  socketFactory: UpstreamSocketFactory;
  /** Socket options of one attempt; called for every attempt, like `buildUrl`. */
  socketOptions(): UpstreamSocketOptions;
  backoff: Backoff;
  /** Connected time after which the backoff starts again from its floor. */
  healthyMs: number;
  /** Time without any frame after which the socket is replaced. */
  stallTimeoutMs: number;
  pingIntervalMs: number;
  /** Called when a new endpoint is used, so the caller can forget host-specific state. */
  onEndpointChange?(endpoint: string): void;
  onFrame(data: FrameData, isBinary: boolean): void;
  onStateChange(state: ConnectionState): void;
  now: () => number;
  timers?: Timers;
  logger: Logger;
}

export interface UpstreamConnection {
  start(): void;
  /** Stops reconnecting and closes the socket with code 1000; resolves once it is closed. */
  stop(): Promise<void>;
  /** Stops reading from the socket (backpressure); the stall watchdog is suspended meanwhile. */
  pause(): void;
  resume(): void;
  /** Replaces the current socket, for example after the subscription parameters changed. */
  reconnect(reason: string): void;
  readonly paused: boolean;
  state(): ConnectionState;
}

/** `url` without a user name or password, for logs and status. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Time allowed for the closing handshake on stop before the socket is destroyed. */
const CLOSE_TIMEOUT_MS = 2000;

export function createUpstreamConnection(options: UpstreamConnectionOptions): UpstreamConnection {
  const { endpoints, backoff, now, logger } = options;
  const timers = options.timers ?? systemTimers;
  if (endpoints.length === 0) throw new Error('No Jetstream endpoint configured; set JETSTREAM_URL to at least one ws:// or wss:// URL.');

  let endpointIndex = 0;
  let current: UpstreamSocket | null = null;
  let started = false;
  let stopped = false;
  let paused = false;
  let reconnectTimer: unknown = null;
  let lastActivityAt = 0;
  let lastEndpoint: string | null = null;
  let whenClosed: (() => void) | null = null;
  let replaceReason: string | null = null;
  const state: ConnectionState = { connected: false, endpoint: null, reconnects: 0, disconnectedSince: now(), lastError: null };

  const publish = () => options.onStateChange({ ...state });

  function connect(): void {
    reconnectTimer = null;
    if (stopped) return;
    const endpoint = endpoints[endpointIndex]!;
    if (endpoint !== lastEndpoint) {
      lastEndpoint = endpoint;
      options.onEndpointChange?.(endpoint);
    }
    // The state is shown in /api/stats, so credentials in a configured URL stay out of it.
    state.endpoint = withoutCredentials(endpoint);
    publish();

    const url = options.buildUrl(endpoint);
    logger.info({ endpoint: state.endpoint, url: withoutCredentials(url), attempt: backoff.attempts }, 'connecting to upstream');
    let socket: UpstreamSocket;
    try {
      socket = options.socketFactory(url, options.socketOptions());
    } catch (error) {
      // An invalid URL throws synchronously; treat it like a failed attempt.
      sessionEnded({ opened: false, openedAt: 0, frames: 0, stalled: false }, `cannot open socket: ${(error as Error).message}`);
      return;
    }
    current = socket;
    runSession(socket, state.endpoint);
  }

  function runSession(socket: UpstreamSocket, endpoint: string): void {
    const session = { opened: false, openedAt: 0, frames: 0, stalled: false };
    let lastError: string | null = null;
    let lastPongAt = 0;
    let pingTimer: unknown = null;
    let watchdogTimer: unknown = null;
    let ended = false;

    const clearTimers = () => {
      if (pingTimer !== null) timers.clearTimeout(pingTimer);
      if (watchdogTimer !== null) timers.clearTimeout(watchdogTimer);
      pingTimer = watchdogTimer = null;
    };

    const ping = () => {
      pingTimer = timers.setTimeout(ping, options.pingIntervalMs);
      if (socket.readyState === WEBSOCKET_OPEN) socket.ping();
    };

    const watchdogTick = Math.max(5, Math.min(1000, Math.min(options.stallTimeoutMs, options.pingIntervalMs) / 4));
    let lastTickAt = 0;
    const watchdog = () => {
      watchdogTimer = timers.setTimeout(watchdog, watchdogTick);
      const tickAt = now();
      // A late tick means this process was busy (a long synchronous write, GC). Frames that
      // arrived meanwhile are still unread, so that silence is ours, not the upstream's.
      const lateness = tickAt - lastTickAt - watchdogTick;
      lastTickAt = tickAt;
      if (lateness > watchdogTick) lastActivityAt += lateness;
      if (paused) return;
      const silentMs = tickAt - lastActivityAt;
      if (silentMs <= options.stallTimeoutMs) return;
      // An upstream can keep answering pings while sending no events, which is just as stale.
      const answersPings = lastPongAt > lastActivityAt;
      session.stalled = true;
      lastError = answersPings ? `no event for ${silentMs} ms although pings are answered` : `no frame and no pong for ${silentMs} ms`;
      logger.warn({ endpoint, silentMs, answersPings }, 'upstream stalled; replacing the connection');
      socket.terminate();
    };

    socket.on('open', () => {
      if (ended) return;
      session.opened = true;
      session.openedAt = lastActivityAt = now();
      state.connected = true;
      state.disconnectedSince = null;
      publish();
      logger.info({ endpoint }, 'upstream connected');
      if (paused) socket.pause();
      pingTimer = timers.setTimeout(ping, options.pingIntervalMs);
      lastTickAt = now();
      watchdogTimer = timers.setTimeout(watchdog, watchdogTick);
    });
    socket.on('message', (data, isBinary) => {
      if (ended || stopped) return;
      session.frames += 1;
      lastActivityAt = now();
      options.onFrame(data, isBinary);
    });
    socket.on('pong', () => {
      lastPongAt = now();
    });
    socket.on('error', (error) => {
      lastError = error.message;
      // `ws` emits `close` after `error`; terminating makes sure of it for any socket.
      if (!ended) socket.terminate();
    });
    socket.on('close', (code, reason) => {
      if (ended) return;
      ended = true;
      clearTimers();
      if (current === socket) current = null;
      const text = reason.length > 0 ? reason.toString('utf8') : '';
      const why = replaceReason ?? lastError ?? `closed with code ${code}${text ? ` (${text})` : ''}`;
      replaceReason = null;
      sessionEnded(session, why, code);
    });
  }

  function sessionEnded(session: { opened: boolean; openedAt: number; frames: number; stalled: boolean }, reason: string, code?: number): void {
    const wasConnected = state.connected;
    state.connected = false;
    state.lastError = reason;
    if (wasConnected || state.disconnectedSince === null) state.disconnectedSince = now();

    if (stopped) {
      publish();
      whenClosed?.();
      return;
    }
    if (session.opened && now() - session.openedAt >= options.healthyMs) backoff.reset();
    // A host that refuses us, stalls or sends nothing is left for the next one. A host that
    // delivered events and then dropped us is tried again first, because Jetstream drops
    // clients routinely.
    const failed = !session.opened || session.stalled || session.frames === 0;
    if (failed && endpoints.length > 1) endpointIndex = (endpointIndex + 1) % endpoints.length;

    const delayMs = backoff.next();
    state.reconnects += 1;
    publish();
    logger.warn(
      { endpoint: state.endpoint, nextEndpoint: withoutCredentials(endpoints[endpointIndex]!), code, reason, delayMs, attempt: backoff.attempts },
      'upstream connection ended; reconnecting',
    );
    reconnectTimer = timers.setTimeout(connect, delayMs);
  }

  return {
    start() {
      if (started) return;
      started = true;
      connect();
    },
    stop() {
      stopped = true;
      if (reconnectTimer !== null) timers.clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const socket = current;
      if (!socket) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const forceTimer = timers.setTimeout(() => socket.terminate(), CLOSE_TIMEOUT_MS);
        whenClosed = () => {
          timers.clearTimeout(forceTimer);
          resolve();
        };
        // Frames already read may still be delivered during the closing handshake; the message
        // handler ignores them, and the restart re-reads them from the saved cursor.
        socket.resume();
        socket.close(1000, 'consumer stopping');
      });
    },
    pause() {
      if (paused) return;
      paused = true;
      current?.pause();
    },
    resume() {
      if (!paused) return;
      paused = false;
      // Silence while paused was ours, so the watchdog starts counting again from now.
      lastActivityAt = now();
      current?.resume();
    },
    reconnect(reason) {
      if (!current) return;
      logger.warn({ endpoint: state.endpoint, reason }, 'replacing the upstream connection');
      replaceReason = reason;
      current.terminate();
    },
    get paused() {
      return paused;
    },
    state: () => ({ ...state }),
  };
}
