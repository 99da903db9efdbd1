/**
 * The posts waiting for one room between two sends, capped at a rate. A token bucket
 * (refilled at `ratePerSecond`, holding at most one second's worth) decides how many posts a
 * tick may send. While more posts match than the bucket allows, a reservoir sample of fixed
 * size keeps a uniform sample of everything since the last send, so memory stays constant
 * however fast posts arrive. A send picks posts evenly spread over that sample, in order of
 * arrival, and reports how many matched in all.
 */
export interface RoomBatch<T> {
  posts: T[];
  /** Posts that matched since the previous send. */
  total: number;
}

interface Entry<T> {
  sequence: number;
  post: T;
}

/** Holds posts of type `T`; the caller picks the form, so posts sampled out cost no conversion. */
export class RoomStream<T> {
  readonly ratePerSecond: number;
  readonly #capacity: number;
  readonly #random: () => number;
  #tokens: number;
  #refilledAt: number;
  #sample: Entry<T>[] = [];
  #total = 0;

  constructor(ratePerSecond: number, now: number, random: () => number = Math.random) {
    this.ratePerSecond = ratePerSecond;
    this.#capacity = Math.max(1, ratePerSecond);
    this.#tokens = this.#capacity;
    this.#refilledAt = now;
    this.#random = random;
  }

  /** Posts waiting: those that matched since the last send. */
  get pending(): number {
    return this.#total;
  }

  /** Returns when the waiting posts may be sent: `now` while a token is available, null when none wait. */
  readyAt(now: number): number | null {
    if (this.#total === 0) return null;
    this.#refill(now);
    if (this.#tokens >= 1) return now;
    return now + ((1 - this.#tokens) / this.ratePerSecond) * 1000;
  }

  /** Adds a matching post; `sequence` orders posts by arrival across rooms. */
  offer(post: T, sequence: number): void {
    this.#total += 1;
    const capacity = Math.ceil(this.#capacity);
    if (this.#sample.length < capacity) {
      this.#sample.push({ sequence, post });
      return;
    }
    // Reservoir sampling: every post seen since the last send has the same chance to be kept.
    const slot = Math.floor(this.#random() * this.#total);
    if (slot < capacity) this.#sample[slot] = { sequence, post };
  }

  /**
   * Returns what the bucket allows at `now`, or null when nothing is waiting or no token is
   * available yet; in the second case the posts keep waiting for a later send.
   */
  take(now: number): RoomBatch<T> | null {
    this.#refill(now);
    if (this.#total === 0) return null;
    const allowed = Math.min(this.#total, Math.floor(this.#tokens));
    if (allowed === 0) return null;

    const ordered = this.#sample.sort((a, b) => a.sequence - b.sequence);
    const posts = allowed >= ordered.length ? ordered.map((entry) => entry.post) : spread(ordered, allowed);
    const total = this.#total;
    this.#tokens -= posts.length;
    this.#sample = [];
    this.#total = 0;
    return { posts, total };
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#refilledAt);
    this.#tokens = Math.min(this.#capacity, this.#tokens + (elapsed / 1000) * this.ratePerSecond);
    this.#refilledAt = now;
  }
}

/** `count` entries evenly spaced over `entries`, keeping their order. */
function spread<T>(entries: Entry<T>[], count: number): T[] {
  const picked: T[] = [];
  for (let index = 0; index < count; index += 1) {
    picked.push(entries[Math.floor(((index + 0.5) * entries.length) / count)]!.post);
  }
  return picked;
}
