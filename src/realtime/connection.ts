/**
 * Set-up of one dashboard connection: its feed room (or, after a recovered reconnect, its
 * restored rooms), request handlers, message counting, slow-client watching, and the first
 * `session` and `stats` messages.
 */
import type { Server, Socket } from 'socket.io';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { StatsSnapshot } from '../hub/events.ts';
import type { Statistics } from '../stats/index.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './protocol.ts';
import { clientState, createClientRequests, type ClientState } from './client-requests.ts';
import type { PRESENCE_EVENT, PresenceMessage, STATS_EVENT } from './cluster-presence.ts';
import type { CounterSet } from './counters.ts';
import { eventNameOf } from './packet-event.ts';
import type { MonitoredClient, SlowClientMonitor } from './slow-clients.ts';
import { bufferedBytes, terminateTransport } from './transport-buffer.ts';

/** Room of clients over the buffer limit; every broadcast excludes it. */
export const SLOW_ROOM = 'status:slow';

export interface InterServerEvents {
  [PRESENCE_EVENT]: (message: PresenceMessage) => void;
  [STATS_EVENT]: (snapshot: StatsSnapshot) => void;
}

/** Per-client state; `slowSince` is set while broadcasts skip the client. */
export type SocketData = ClientState & { slowSince?: number };
export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface ConnectionDependencies {
  config: Config;
  statistics: Statistics;
  counters: CounterSet;
  monitor: SlowClientMonitor;
  logger: Logger;
  now: () => number;
}

/**
 * Returns the `connection` handler. Its listeners are created once and shared by every socket
 * (Socket.IO calls them with the socket as `this`), so an idle client costs no closures.
 */
export function createConnectionHandler({ config, statistics, counters, monitor, logger, now }: ConnectionDependencies): (socket: IoSocket) => void {
  const subscribeRequests = createClientRequests({ maxTerms: config.MAX_ROOMS_PER_CLIENT, now, logger });
  const countPacket = (packet: { type: string; data?: unknown }) => {
    if (packet.type === 'message') counters.countSent(eventNameOf(packet.data));
  };
  const onDisconnect = function (this: IoSocket, reason: string) {
    monitor.forget(this.id);
    logger.debug({ socketId: this.id, reason }, 'client disconnected');
  };
  const limits = {
    maxTerms: config.MAX_ROOMS_PER_CLIENT,
    maxPostsPerSecond: config.CLIENT_MAX_POSTS_PER_SECOND,
    maxTrackedPostsPerSecond: trackedRate(config),
    tickMs: config.BROADCAST_TICK_MS,
  };

  return (socket) => {
    const state = clientState(socket as unknown as Socket) as SocketData;
    if (socket.recovered) {
      // Recovery restores the rooms, the slow room included, and replays only what the client
      // was sent while not slow; tell it about the rest.
      if (state.slowSince !== undefined) socket.emit('lagged', { from: state.slowSince, to: now() });
      delete state.slowSince;
      void socket.leave(SLOW_ROOM);
    } else {
      void socket.join(state.feedRoom);
    }

    subscribeRequests(socket as unknown as Socket);
    socket.conn.on('packetCreate', countPacket);
    socket.on('disconnect', onDisconnect);
    logger.debug({ socketId: socket.id, recovered: socket.recovered, transport: socket.conn.transport.name }, 'client connected');

    socket.emit('session', { recovered: socket.recovered, terms: [...state.terms], filter: state.filter, limits });
    // A new dashboard shows numbers at once instead of after the next tick.
    socket.emit('stats', statistics.snapshot());
  };
}

/** Posts per second for each tracked term: the client cap shared over the terms it may track. */
export function trackedRate(config: Pick<Config, 'CLIENT_MAX_POSTS_PER_SECOND' | 'MAX_ROOMS_PER_CLIENT'>): number {
  return Math.max(1, Math.ceil(config.CLIENT_MAX_POSTS_PER_SECOND / config.MAX_ROOMS_PER_CLIENT));
}

/** View of a connected socket for the slow-client monitor, created for one check. */
class MonitoredSocket implements MonitoredClient {
  readonly #socket: IoSocket;
  readonly #now: () => number;

  constructor(socket: IoSocket, now: () => number) {
    this.#socket = socket;
    this.#now = now;
  }

  get id(): string {
    return this.#socket.id;
  }

  bufferedBytes(): number {
    return bufferedBytes(this.#socket.conn);
  }

  markSlow(): void {
    (this.#socket.data as SocketData).slowSince = this.#now();
    void this.#socket.join(SLOW_ROOM);
  }

  unmarkSlow(): void {
    delete (this.#socket.data as SocketData).slowSince;
    void this.#socket.leave(SLOW_ROOM);
  }

  notifyLagged(from: number, to: number): void {
    this.#socket.emit('lagged', { from, to });
  }

  terminate(): void {
    terminateTransport(this.#socket.conn);
  }
}

/** Yields a monitor view of each socket; nothing is kept per socket between checks. */
export function* monitoredSockets(sockets: Iterable<IoSocket>, now: () => number): Generator<MonitoredClient> {
  for (const socket of sockets) yield new MonitoredSocket(socket, now);
}
