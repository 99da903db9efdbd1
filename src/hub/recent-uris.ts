/**
 * The most recently seen post URIs, each with a value. The statistics and the Socket.IO fan-out
 * both use it to recognise a create delivered twice (the consumer rewinds its cursor on
 * reconnect), and the statistics to find what an edited post counted before.
 *
 * URIs live in two generations of at most `limit` entries. When the newer one fills up it
 * becomes the older one, and the previous older one is dropped whole, so the last `limit` URIs
 * are always remembered and never more than twice that. Dropping the oldest entry on every
 * insert instead would be slow: a JavaScript Map keeps a hole for each deleted entry until it
 * rebuilds its table, and finding the oldest key walks over all of them.
 */
export class RecentUris<V> {
  readonly limit: number;
  #newer = new Map<string, V>();
  #older = new Map<string, V>();

  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    this.limit = limit;
  }

  /** URIs remembered now: at least the last `limit` seen (or all, when fewer), at most twice that. */
  get size(): number {
    return this.#newer.size + this.#older.size;
  }

  get(uri: string): V | undefined {
    return this.#newer.has(uri) ? this.#newer.get(uri) : this.#older.get(uri);
  }

  has(uri: string): boolean {
    return this.#newer.has(uri) || this.#older.has(uri);
  }

  /** Remembers `uri` with `value` unless it is remembered already; returns whether it was new. */
  add(uri: string, value: V): boolean {
    if (this.has(uri)) return false;
    this.#newer.set(uri, value);
    if (this.#newer.size >= this.limit) {
      this.#older = this.#newer;
      this.#newer = new Map();
    }
    return true;
  }
}
