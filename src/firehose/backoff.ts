/**
 * Reconnect delays: exponential growth with full jitter between a floor and a cap, so many
 * consumers dropped at once by the same server do not come back in lockstep.
 */

export interface BackoffOptions {
  /** Minimum delay, in milliseconds. */
  minMs: number;
  /** Maximum delay, in milliseconds. */
  maxMs: number;
  /** Uniform random number in [0, 1); injectable for tests. */
  random?: () => number;
}

export interface Backoff {
  /** Delay before the next attempt, in milliseconds; each call raises the ceiling for the next. */
  next(): number;
  /** Starts again from the floor, after a connection has stayed healthy. */
  reset(): void;
  /** Attempts since the last reset. */
  readonly attempts: number;
}

export function createBackoff({ minMs, maxMs, random = Math.random }: BackoffOptions): Backoff {
  if (!(minMs > 0) || !(maxMs >= minMs)) {
    throw new RangeError(`Invalid backoff bounds: minMs=${minMs}, maxMs=${maxMs}; expected 0 < minMs <= maxMs.`);
  }
  let attempts = 0;
  return {
    next() {
      // 2 ** 40 already exceeds any configurable cap, and a bounded exponent avoids Infinity.
      const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempts, 40));
      attempts += 1;
      return Math.round(minMs + random() * (ceiling - minMs));
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
