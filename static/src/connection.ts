/**
 * The Socket.IO connection to the server: typed events, connection state for the status bar,
 * and requests with acknowledgements and a timeout.
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, FeedFilter, ServerToClientEvents, TrackRequest } from '../../src/realtime/protocol.ts';

export type DashboardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ServerState = 'connecting' | 'connected' | 'reconnecting' | 'rejected';

export interface ConnectionStatus {
  state: ServerState;
  /** Reason of the last failed attempt, for the status tooltip. */
  detail: string | null;
}

const REQUEST_TIMEOUT_MS = 10_000;

export interface Connection {
  readonly socket: DashboardSocket;
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): void;
  /** Runs `listener` on every connect; `reconnected` is true after the first. */
  onConnect(listener: (reconnected: boolean) => void): void;
  track(request: TrackRequest): Promise<Ack<{ term: string }>>;
  untrack(request: TrackRequest): Promise<Ack<{ term: string }>>;
  filter(filter: FeedFilter): Promise<Ack<{ filter: FeedFilter }>>;
}

/** Connects to the page's own origin; `token` is sent in the handshake when the page has one. */
export function connect(token: string | null): Connection {
  const socket: DashboardSocket = io({
    transports: ['websocket', 'polling'],
    auth: token ? { token } : {},
    // Socket.IO retries forever by default; cap the delay so a restarted server is found quickly.
    reconnectionDelayMax: 10_000,
  });

  let current: ConnectionStatus = { state: 'connecting', detail: null };
  const statusListeners: Array<(status: ConnectionStatus) => void> = [];
  const connectListeners: Array<(reconnected: boolean) => void> = [];
  let connectedBefore = false;

  const setStatus = (next: ConnectionStatus) => {
    current = next;
    for (const listener of statusListeners) listener(next);
  };

  socket.on('connect', () => {
    setStatus({ state: 'connected', detail: null });
    for (const listener of connectListeners) listener(connectedBefore);
    connectedBefore = true;
  });
  socket.on('disconnect', (reason) => {
    setStatus({ state: 'reconnecting', detail: reason });
  });
  socket.on('connect_error', (error) => {
    // A middleware rejection (such as a wrong token) stops automatic reconnection.
    const rejected = !socket.active;
    setStatus({ state: rejected ? 'rejected' : 'reconnecting', detail: error.message });
  });

  async function request<T extends object>(send: () => Promise<Ack<T>>): Promise<Ack<T>> {
    try {
      return await send();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: `no answer from the server (${message})` };
    }
  }

  return {
    socket,
    status: () => current,
    onStatus: (listener) => void statusListeners.push(listener),
    onConnect: (listener) => void connectListeners.push(listener),
    track: (trackRequest) => request(() => socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck('track', trackRequest)),
    untrack: (trackRequest) => request(() => socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck('untrack', trackRequest)),
    filter: (feedFilter) => request(() => socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck('filter', feedFilter)),
  };
}
