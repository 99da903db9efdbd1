// PLACEHOLDER: minimal Socket.IO server; the live fan-out work replaces this file.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { Hub } from '../hub/hub.ts';
import type { HubEvents } from '../hub/events.ts';
import type { Statistics } from '../stats/index.ts';

export interface RealtimeOptions {
  config: Config;
  hub: Hub<HubEvents>;
  statistics: Statistics;
  httpServer: HttpServer;
  logger: Logger;
  now: () => number;
}

export interface Realtime {
  readonly io: Server;
  clientCount(): number;
  /** Disconnects every client and stops timers; leaves the HTTP server to the caller. */
  close(): Promise<void>;
}

export async function createRealtime({ httpServer, statistics }: RealtimeOptions): Promise<Realtime> {
  const io = new Server(httpServer, { serveClient: false });
  const timer = setInterval(() => {
    statistics.setClientCount(io.engine.clientsCount);
    io.volatile.emit('stats', statistics.snapshot());
  }, 1000);
  return {
    io,
    clientCount: () => io.engine.clientsCount,
    async close() {
      clearInterval(timer);
      io.disconnectSockets(true);
      // io.close() would also close the HTTP server; the service closes that itself.
      io.engine.close();
    },
  };
}
