/**
 * A typed in-memory publish/subscribe hub without `node:events`, so it runs anywhere.
 * `publish` calls every listener in subscription order and resolves once all of them have
 * settled, which lets a slow subscriber (the store) hold back the publisher (the consumer).
 */

type Listener<T> = (payload: T) => void | Promise<void>;

export class Hub<Events extends object> {
  readonly #listeners = new Map<keyof Events, Listener<never>[]>();

  /** Adds `listener` for `type`; returns a function that removes it. */
  subscribe<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    const current = this.#listeners.get(type) ?? [];
    this.#listeners.set(type, [...current, listener as Listener<never>]);
    return () => {
      const remaining = (this.#listeners.get(type) ?? []).filter((item) => item !== listener);
      this.#listeners.set(type, remaining);
    };
  }

  /**
   * Delivers `payload` to every listener of `type`. A listener that throws or rejects does not
   * stop the others; the first failure is re-thrown after all have run.
   */
  async publish<K extends keyof Events>(type: K, payload: Events[K]): Promise<void> {
    const listeners = this.#listeners.get(type);
    if (!listeners || listeners.length === 0) return;

    const pending: Promise<void>[] = [];
    let failure: { error: unknown } | undefined;
    for (const listener of listeners) {
      try {
        const result = (listener as Listener<Events[K]>)(payload);
        if (result) pending.push(result);
      } catch (error) {
        failure ??= { error };
      }
    }
    const settled = await Promise.allSettled(pending);
    for (const outcome of settled) {
      if (outcome.status === 'rejected') failure ??= { error: outcome.reason };
    }
    if (failure) throw failure.error;
  }

  /** Number of listeners of `type`. */
  listenerCount(type: keyof Events): number {
    return this.#listeners.get(type)?.length ?? 0;
  }
}

/**
 * Returns whether a listener's error means that retrying can never succeed, such as a store that lost
 * the database to another ingesting process. Such errors carry `permanent: true`, and a
 * publisher that retries failed publishes stops on them instead.
 */
export function isPermanentFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}
