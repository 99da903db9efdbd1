/**
 * Decides when waiting posts leave for dashboards. A post that arrives after a quiet spell goes
 * out at once. While posts keep coming, sends are spaced at least `minIntervalMs` apart, and
 * further apart when a send itself takes long (thousands of clients). Sending then takes at most
 * about `1 / LOAD_SPACING` of the event loop's time, and HTTP and ingest keep the rest. Posts
 * held back by a room's rate cap go out as soon as the cap allows.
 */

/** Factor applied to the previous send's duration to get the earliest start of the next send. */
export const LOAD_SPACING = 2;

export interface BroadcastSchedulerOptions {
  /** Shortest time between the starts of two sends, in milliseconds. */
  minIntervalMs: number;
  /**
   * Sends what may be sent now. Returns when posts that had to stay behind may be sent (same
   * clock as `now`), or null when nothing waits.
   */
  send(): number | null;
  now(): number;
  /** Runs `callback` after `ms` milliseconds; returns a function that cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
  onError(error: unknown): void;
}

export class BroadcastScheduler {
  readonly #options: BroadcastSchedulerOptions;
  #cancel: (() => void) | null = null;
  #dueAt = Infinity;
  #lastStart = -Infinity;
  #spacingMs: number;
  #closed = false;

  constructor(options: BroadcastSchedulerOptions) {
    this.#options = options;
    this.#spacingMs = options.minIntervalMs;
  }

  /** Spacing now required between two sends; grows with the duration of the last send. */
  get spacingMs(): number {
    return this.#spacingMs;
  }

  /** Schedules a send for posts that wait, at `readyAt` (default now) or once the spacing allows. */
  request(readyAt = this.#options.now()): void {
    if (this.#closed) return;
    const at = Math.max(readyAt, this.#lastStart + this.#spacingMs);
    if (this.#cancel && this.#dueAt <= at) return;
    this.#cancel?.();
    this.#dueAt = at;
    this.#cancel = this.#options.setTimer(() => this.#run(), Math.max(0, at - this.#options.now()));
  }

  close(): void {
    this.#closed = true;
    this.#cancel?.();
    this.#cancel = null;
  }

  #run(): void {
    this.#cancel = null;
    this.#dueAt = Infinity;
    const { now, minIntervalMs } = this.#options;
    const started = now();
    let next: number | null = null;
    try {
      next = this.#options.send();
    } catch (error) {
      this.#options.onError(error);
    }
    this.#lastStart = started;
    this.#spacingMs = Math.max(minIntervalMs, (now() - started) * LOAD_SPACING);
    if (next !== null) this.request(next);
  }
}
