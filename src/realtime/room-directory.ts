/**
 * The feed and track rooms that have at least one member anywhere: locally (from the adapter's
 * room events) and on other processes (from their presence messages through Redis). The
 * ingesting process matches posts against this set, so it also serves clients connected to
 * other processes.
 *
 * A local room whose last member left stays in the set for `lingerMs`: its members may be
 * disconnected clients about to reconnect, and connection state recovery can only replay
 * batches that were broadcast to the room while they were away.
 */
import { FEED_ROOM_PREFIX, TRACK_ROOM_PREFIX } from './terms.ts';

/** Whether a room carries posts; socket-id rooms and status rooms do not. */
export function isContentRoom(room: string): boolean {
  return room.startsWith(FEED_ROOM_PREFIX) || room.startsWith(TRACK_ROOM_PREFIX);
}

interface RemoteRooms {
  rooms: Set<string>;
  seenAt: number;
}

export class RoomDirectory {
  readonly #lingerMs: number;
  readonly #now: () => number;
  readonly #local = new Set<string>();
  /** Local rooms without members, by the time they leave the set. */
  readonly #lingering = new Map<string, number>();
  readonly #remote = new Map<string, RemoteRooms>();
  #version = 0;
  #localVersion = 0;
  #union: Set<string> | null = null;

  constructor(lingerMs: number, now: () => number) {
    this.#lingerMs = lingerMs;
    this.#now = now;
  }

  /** Raised on every change, so users rebuild what depends on the set only when needed. */
  get version(): number {
    this.#sweep();
    return this.#version;
  }

  /** Raised on every change of the local rooms, which other processes need to hear about. */
  get localVersion(): number {
    return this.#localVersion;
  }

  addLocal(room: string): void {
    if (!isContentRoom(room) || this.#local.has(room)) return;
    this.#local.add(room);
    if (this.#lingering.delete(room)) return;
    this.#localVersion += 1;
    this.#changed();
  }

  /** Starts the linger time of a room whose last local member left. */
  removeLocal(room: string): void {
    if (!this.#local.delete(room)) return;
    this.#lingering.set(room, this.#now() + this.#lingerMs);
  }

  /** Local rooms, lingering ones included. */
  localRooms(): string[] {
    this.#sweep();
    return [...this.#local, ...this.#lingering.keys()];
  }

  /** Replaces the rooms of process `id`. */
  setRemote(id: string, rooms: readonly string[], now: number): void {
    const next = new Set(rooms.filter(isContentRoom));
    const previous = this.#remote.get(id);
    this.#remote.set(id, { rooms: next, seenAt: now });
    if (!previous || !sameSet(previous.rooms, next)) this.#changed();
  }

  /** Marks process `id` as alive without changing its rooms; false when it is unknown. */
  touchRemote(id: string, now: number): boolean {
    const entry = this.#remote.get(id);
    if (entry) entry.seenAt = now;
    return entry !== undefined;
  }

  removeRemote(id: string): void {
    if (this.#remote.delete(id)) this.#changed();
  }

  /** Forgets processes not heard from since `threshold`. */
  expire(threshold: number): void {
    for (const [id, entry] of this.#remote) {
      if (entry.seenAt < threshold) this.removeRemote(id);
    }
  }

  /** Every room with a member on some process, lingering local rooms included. */
  rooms(): ReadonlySet<string> {
    this.#sweep();
    if (!this.#union) {
      this.#union = new Set([...this.#local, ...this.#lingering.keys()]);
      for (const entry of this.#remote.values()) for (const room of entry.rooms) this.#union.add(room);
    }
    return this.#union;
  }

  #sweep(): void {
    if (this.#lingering.size === 0) return;
    const time = this.#now();
    for (const [room, until] of this.#lingering) {
      if (until > time) continue;
      this.#lingering.delete(room);
      this.#localVersion += 1;
      this.#changed();
    }
  }

  #changed(): void {
    this.#version += 1;
    this.#union = null;
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}
