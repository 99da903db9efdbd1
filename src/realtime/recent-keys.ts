/** A set of the most recent keys, with a fixed maximum size; the oldest key is forgotten first. */
export class RecentKeys {
  readonly limit: number;
  // A Set iterates in insertion order, so its first key is always the oldest.
  readonly #keys = new Set<string>();

  constructor(limit: number) {
    this.limit = limit;
  }

  get size(): number {
    return this.#keys.size;
  }

  /** Adds `key`; returns false when it was already present. */
  add(key: string): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > this.limit) {
      const oldest = this.#keys.values().next().value;
      if (oldest !== undefined) this.#keys.delete(oldest);
    }
    return true;
  }
}
