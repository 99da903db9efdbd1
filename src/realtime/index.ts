/**
 * The Socket.IO server: live posts, statistics and announcements for dashboards.
 *
 * - Posts are matched to rooms (feed filters, tracked terms) where they originate, in the
 *   ingesting process, and sent per room at once after a quiet spell, at most once per
 *   BROADCAST_TICK_MS while posts keep coming, rate-capped per room.
 * - Broadcasts skip clients whose send buffer is above CLIENT_MAX_BUFFER_BYTES; those still
 *   above half of it after CLIENT_STALL_SECONDS have their transport closed.
 * - Connection state recovery replays the post batches a client missed while disconnected for
 *   up to RECOVERY_WINDOW_MS; `stats` is volatile and never replayed.
 * - With REDIS_URL, broadcasts go through the Redis Streams adapter to every process, and the
 *   processes exchange presence (client counts, rooms) and the ingesting process's statistics.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Socket as EngineSocket } from 'engine.io';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { Hub } from '../hub/hub.ts';
import type { HubEvents, StatsSnapshot } from '../hub/events.ts';
import { REMOTE_SNAPSHOT_MAX_AGE_MS, type Statistics } from '../stats/index.ts';
import { corsOption, originCheck, tokenMiddleware } from './access.ts';
import { ClusterPresence, PRESENCE_EVENT, STATS_EVENT } from './cluster-presence.ts';
import { createConnectionHandler, monitoredSockets, SLOW_ROOM, trackedRate, type IoServer, type IoSocket } from './connection.ts';
import { CounterSet, type RealtimeCounters } from './counters.ts';
import { BroadcastScheduler } from './broadcast-scheduler.ts';
import { PostFanout, type RoomSender } from './post-fanout.ts';
import { connectRedis, type RedisLink } from './redis-link.ts';
import { RoomDirectory } from './room-directory.ts';
import { SlowClientMonitor } from './slow-clients.ts';
import { terminateTransport } from './transport-buffer.ts';
import { FEED_ALL_ROOM } from './terms.ts';

export type { RealtimeCounters } from './counters.ts';

/** How long a disconnected client's missed broadcasts are kept for it. */
export const RECOVERY_WINDOW_MS = 30_000;
/** Largest message a client may send; requests are small JSON objects. */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;
const STATS_INTERVAL_MS = 1000;

export interface RealtimeOptions {
  config: Config;
  hub: Hub<HubEvents>;
  statistics: Statistics;
  httpServer: HttpServer;
  logger: Logger;
  now: () => number;
  /** Randomness of post sampling; tests pass a seeded one. */
  random?: () => number;
}

export interface Realtime {
  readonly io: IoServer;
  /** Dashboards connected to this process. */
  clientCount(): number;
  counters(): RealtimeCounters;
  /** Disconnects every client and stops timers; leaves the HTTP server to the caller. */
  close(): Promise<void>;
}

export async function createRealtime(options: RealtimeOptions): Promise<Realtime> {
  const { config, hub, statistics, httpServer, logger, now } = options;
  const redis: RedisLink | null = config.REDIS_URL ? await connectRedis(config.REDIS_URL, logger) : null;

  const io: IoServer = new Server(httpServer, {
    serveClient: false,
    // Compression would deflate every broadcast once per client instead of once per room.
    perMessageDeflate: false,
    maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
    cors: corsOption(config),
    allowRequest: originCheck(config),
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: true },
    ...(redis ? { adapter: redis.adapter } : {}),
  });
  if (config.DASHBOARD_TOKEN) io.use(tokenMiddleware(config.DASHBOARD_TOKEN));

  const counters = new CounterSet();
  const directory = new RoomDirectory(RECOVERY_WINDOW_MS, now);
  const adapter = io.of('/').adapter;
  adapter.on('create-room', (room: string) => directory.addLocal(room));
  adapter.on('delete-room', (room: string) => directory.removeLocal(room));

  const monitor = new SlowClientMonitor({
    limitBytes: config.CLIENT_MAX_BUFFER_BYTES,
    stallMs: config.CLIENT_STALL_SECONDS * 1000,
    now,
    counters,
    logger,
  });

  /** Slow clients of this process in `room` (all of them when `room` is null). */
  const slowMembers = (room: string | null): number => {
    const slow = adapter.rooms.get(SLOW_ROOM);
    if (!slow || slow.size === 0) return 0;
    if (room === null) return slow.size;
    const members = adapter.rooms.get(room);
    let count = 0;
    if (members) for (const id of slow) if (members.has(id)) count += 1;
    return count;
  };

  const send: RoomSender = (room, event, message) => {
    const target = room === null ? io.except(SLOW_ROOM) : io.to(room).except(SLOW_ROOM);
    (target.emit as (event: string, message: unknown) => boolean)(event, message);
    // NOTE: with Redis, clients of other processes that skip this message are not counted here.
    counters.countDropped('slow-client', slowMembers(room));
  };

  const emitStats = (snapshot: StatsSnapshot) => {
    io.local.except(SLOW_ROOM).volatile.emit('stats', snapshot);
    counters.countDropped('slow-client', slowMembers(null));
    let busy = 0;
    for (const socket of io.of('/').sockets.values()) {
      if (!socket.conn.transport.writable && !monitor.isSlow(socket.id)) busy += 1;
    }
    counters.countDropped('volatile', busy);
  };

  const fanout = config.INGEST
    ? new PostFanout({
        directory,
        send,
        counters,
        feedRate: config.CLIENT_MAX_POSTS_PER_SECOND,
        trackedRate: trackedRate(config),
        now,
        random: options.random,
        // Other processes report their rooms within a second of this one starting; until then
        // their unfiltered clients, the common case, must not miss posts.
        permanentRooms: redis ? [FEED_ALL_ROOM] : [],
      })
    : null;
  const scheduler = fanout
    ? new BroadcastScheduler({
        minIntervalMs: config.BROADCAST_TICK_MS,
        send: () => fanout.flush(),
        now,
        setTimer: (callback, ms) => {
          const timer = setTimeout(callback, ms);
          return () => clearTimeout(timer);
        },
        onError: (error) => logger.error({ err: error, task: 'post broadcast' }, 'socket.io timer task failed'),
      })
    : null;

  const presence = redis
    ? new ClusterPresence({
        ingest: config.INGEST,
        directory,
        emit: (event, message) => io.serverSideEmit(event as typeof PRESENCE_EVENT, message),
        now,
        logger,
      })
    : null;
  let remoteStatsAt = -Infinity;
  if (presence) {
    io.on(PRESENCE_EVENT, (message: unknown) => presence.receive(message));
    io.on(STATS_EVENT, (snapshot: unknown) => {
      if (config.INGEST || !isSnapshot(snapshot)) return;
      remoteStatsAt = now();
      statistics.acceptRemote(snapshot);
      emitStats(snapshot);
    });
  }

  io.on('connection', createConnectionHandler({ config, statistics, counters, monitor, logger, now }));

  const unsubscribers = [
    hub.subscribe('announcement', (announcement) => void io.emit('announcement', announcement)),
    ...(fanout && scheduler
      ? [
          hub.subscribe('committed', (batch) => {
            fanout.accept(batch);
            scheduler.request();
          }),
        ]
      : []),
  ];

  const everySecond = () => {
    const local = io.of('/').sockets.size;
    presence?.heartbeat(local);
    statistics.setClientCount(presence ? presence.clusterClients(local) : local);

    // A process without ingest shows the ingesting process's snapshot as it arrives, and its
    // own (empty) one only while none has arrived for a few seconds.
    const ownSnapshot = config.INGEST || !presence || now() - remoteStatsAt > REMOTE_SNAPSHOT_MAX_AGE_MS;
    if (!ownSnapshot) return;
    const snapshot = statistics.refresh();
    emitStats(snapshot);
    if (presence && config.INGEST) io.serverSideEmit(STATS_EVENT, snapshot);
  };

  const monitorIntervalMs = Math.min(1000, Math.max(100, (config.CLIENT_STALL_SECONDS * 1000) / 4));
  const timers = [
    setInterval(() => runSafely(logger, 'statistics broadcast', everySecond), STATS_INTERVAL_MS),
    setInterval(() => runSafely(logger, 'slow client check', () => monitor.check(monitoredSockets(io.of('/').sockets.values(), now))), monitorIntervalMs),
  ];

  logger.info(
    { redis: redis !== null, ingest: config.INGEST, tickMs: config.BROADCAST_TICK_MS, tokenRequired: config.DASHBOARD_TOKEN !== undefined },
    'socket.io ready',
  );

  let closing: Promise<void> | undefined;
  return {
    io,
    clientCount: () => io.of('/').sockets.size,
    counters: () => counters.snapshot(),
    close: () => (closing ??= closeRealtime()),
  };

  async function closeRealtime(): Promise<void> {
    for (const timer of timers) clearInterval(timer);
    scheduler?.close();
    for (const unsubscribe of unsubscribers) unsubscribe();
    presence?.leave();
    // Closing transports (rather than sending a disconnect packet) lets clients reconnect on
    // their own, to another process behind the load balancer, and recover what they missed.
    const engineClients = (io.engine as unknown as { clients: Record<string, EngineSocket> }).clients;
    for (const connection of Object.values(engineClients)) terminateTransport(connection);
    io.engine.close();
    adapter.close();
    await redis?.close();
    logger.info('socket.io closed');
  }
}

function isSnapshot(value: unknown): value is StatsSnapshot {
  return typeof value === 'object' && value !== null && (value as StatsSnapshot).version === 1 && typeof (value as StatsSnapshot).windows === 'object';
}

function runSafely(logger: Logger, task: string, action: () => void): void {
  try {
    action();
  } catch (error) {
    logger.error({ err: error, task }, 'socket.io timer task failed');
  }
}
