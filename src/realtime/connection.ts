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
import { clientState, handleClientRequests, type ClientState } from './client-requests.ts';
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
  /** Clients the slow-client monitor checks, by socket id. */
  monitored: Map<string, MonitoredClient>;
  logger: Logger;
  now: () => number;
}

export function acceptConnection(socket: IoSocket, { config, statistics, counters, monitor, monitored, logger, now }: ConnectionDependencies): void {
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

  handleClientRequests(socket as unknown as Socket, { maxTerms: config.MAX_ROOMS_PER_CLIENT, now, logger });
  socket.conn.on('packetCreate', (packet: { type: string; data?: unknown }) => {
    if (packet.type === 'message') counters.countSent(eventNameOf(packet.data));
  });
  monitored.set(socket.id, monitoredClient(socket, state, now));
  logger.debug({ socketId: socket.id, recovered: socket.recovered, transport: socket.conn.transport.name }, 'client connected');
  socket.on('disconnect', (reason) => {
    monitored.delete(socket.id);
    monitor.forget(socket.id);
    logger.debug({ socketId: socket.id, reason }, 'client disconnected');
  });

  socket.emit('session', {
    recovered: socket.recovered,
    terms: [...state.terms],
    filter: state.filter,
    limits: {
      maxTerms: config.MAX_ROOMS_PER_CLIENT,
      maxPostsPerSecond: config.CLIENT_MAX_POSTS_PER_SECOND,
      maxTrackedPostsPerSecond: trackedRate(config),
      tickMs: config.BROADCAST_TICK_MS,
    },
  });
  // A new dashboard shows numbers at once instead of after the next tick.
  socket.emit('stats', statistics.snapshot());
}

/** Posts per second for each tracked term: the client cap shared over the terms it may track. */
export function trackedRate(config: Pick<Config, 'CLIENT_MAX_POSTS_PER_SECOND' | 'MAX_ROOMS_PER_CLIENT'>): number {
  return Math.max(1, Math.ceil(config.CLIENT_MAX_POSTS_PER_SECOND / config.MAX_ROOMS_PER_CLIENT));
}

function monitoredClient(socket: IoSocket, state: SocketData, now: () => number): MonitoredClient {
  return {
    id: socket.id,
    bufferedBytes: () => bufferedBytes(socket.conn),
    markSlow() {
      state.slowSince = now();
      void socket.join(SLOW_ROOM);
    },
    unmarkSlow() {
      delete state.slowSince;
      void socket.leave(SLOW_ROOM);
    },
    notifyLagged: (from, to) => void socket.emit('lagged', { from, to }),
    terminate: () => terminateTransport(socket.conn),
  };
}
