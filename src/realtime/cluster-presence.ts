/**
 * Presence messages that the processes sharing one Redis send each other once a second: the
 * sender's id, its dashboard count, whether it ingests, and the feed and track rooms of its
 * clients (when they changed, and every few seconds). The ingesting process matches posts
 * against the rooms of every process, and each process sums the client counts.
 */
import { randomUUID } from 'node:crypto';
import { rateLimited, type Logger } from '../log/logger.ts';
import type { RoomDirectory } from './room-directory.ts';

/** Server-to-server event carrying presence messages. */
export const PRESENCE_EVENT = 'skypulse:presence';
/** Server-to-server event carrying the ingesting process's statistics snapshot. */
export const STATS_EVENT = 'skypulse:stats';
/** Silence after which a process is considered gone. */
export const PEER_TIMEOUT_MS = 5000;
/** Interval at which the full room list is sent even when it did not change. */
const ROOMS_RESEND_MS = 5000;
const MAX_ID_LENGTH = 100;
const MAX_ROOM_LENGTH = 1000;

export interface PresenceMessage {
  id: string;
  ingest: boolean;
  clients: number;
  /** Full list of the sender's content rooms; absent when unchanged since the last list. */
  rooms?: string[];
  /** Sent once on shutdown so the others forget the sender at once. */
  leaving?: boolean;
}

export interface ClusterPresenceOptions {
  ingest: boolean;
  directory: RoomDirectory;
  /** Sends a server-to-server event to every other process. */
  emit: (event: string, message: PresenceMessage) => void;
  now: () => number;
  logger: Logger;
}

interface Peer {
  clients: number;
  ingest: boolean;
  seenAt: number;
}

export class ClusterPresence {
  readonly id = randomUUID();
  readonly #options: ClusterPresenceOptions;
  readonly #peers = new Map<string, Peer>();
  readonly #warn = rateLimited(5, 60_000);
  #sentLocalVersion = -1;
  #roomsSentAt = -Infinity;

  constructor(options: ClusterPresenceOptions) {
    this.#options = options;
  }

  /** Sends this process's presence and drops peers that went silent; call it once a second. */
  heartbeat(localClients: number): void {
    const { directory, now, emit, ingest } = this.#options;
    const time = now();
    this.#expire(time);

    const message: PresenceMessage = { id: this.id, ingest, clients: localClients };
    if (directory.localVersion !== this.#sentLocalVersion || time - this.#roomsSentAt >= ROOMS_RESEND_MS) {
      message.rooms = directory.localRooms();
      this.#sentLocalVersion = directory.localVersion;
      this.#roomsSentAt = time;
    }
    emit(PRESENCE_EVENT, message);
  }

  /** Tells the other processes this one is going away. */
  leave(): void {
    this.#options.emit(PRESENCE_EVENT, { id: this.id, ingest: this.#options.ingest, clients: 0, rooms: [], leaving: true });
  }

  /** Handles a presence message from another process; malformed ones are logged and ignored. */
  receive(value: unknown): void {
    const message = parsePresence(value);
    const { directory, now, logger, ingest } = this.#options;
    if (!message) {
      this.#warn((suppressed) => logger.warn({ suppressed }, 'ignored a malformed presence message from another process'));
      return;
    }
    if (message.id === this.id) return;
    if (message.leaving) {
      this.#peers.delete(message.id);
      directory.removeRemote(message.id);
      return;
    }

    const time = now();
    if (!this.#peers.has(message.id)) {
      logger.info({ peer: message.id, ingest: message.ingest }, 'another process joined');
      // The newcomer (perhaps a restarted ingesting process) needs our rooms now, not in 5 s.
      this.#roomsSentAt = -Infinity;
    }
    if (message.ingest && ingest) {
      this.#warn((suppressed) => logger.warn({ peer: message.id, suppressed }, 'another process also has INGEST=true; dashboards will receive posts twice'));
    }
    this.#peers.set(message.id, { clients: message.clients, ingest: message.ingest, seenAt: time });
    if (message.rooms) directory.setRemote(message.id, message.rooms, time);
    else directory.touchRemote(message.id, time);
  }

  /** Dashboards connected to every process, this one included. */
  clusterClients(localClients: number): number {
    let total = localClients;
    for (const peer of this.#peers.values()) total += peer.clients;
    return total;
  }

  /** Whether an ingesting peer has been heard from recently. */
  hasIngestingPeer(): boolean {
    for (const peer of this.#peers.values()) if (peer.ingest) return true;
    return false;
  }

  #expire(time: number): void {
    const threshold = time - PEER_TIMEOUT_MS;
    for (const [id, peer] of this.#peers) {
      if (peer.seenAt >= threshold) continue;
      this.#peers.delete(id);
      this.#options.logger.info({ peer: id }, 'another process went silent; forgetting its clients and rooms');
    }
    this.#options.directory.expire(threshold);
  }
}

function parsePresence(value: unknown): PresenceMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, ingest, clients, rooms, leaving } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return null;
  if (typeof ingest !== 'boolean') return null;
  if (typeof clients !== 'number' || !Number.isInteger(clients) || clients < 0) return null;
  if (rooms !== undefined) {
    if (!Array.isArray(rooms)) return null;
    if (!rooms.every((room) => typeof room === 'string' && room.length <= MAX_ROOM_LENGTH)) return null;
  }
  return { id, ingest, clients, rooms: rooms as string[] | undefined, leaving: leaving === true };
}
