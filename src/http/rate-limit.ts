/**
 * Per-client rate limit of the API with hono-rate-limiter: a fixed window of `windowMs` per
 * client address. A client over the limit gets 429, `Retry-After` and the API's error body.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter, type Store } from 'hono-rate-limiter';
import { detail, sendError } from './errors.ts';
import { clientAddress } from './client-address.ts';

interface Window {
  totalHits: number;
  resetTime: Date;
}

/**
 * In-memory fixed-window counts without a timer: expired windows are swept at most once per
 * window, and at most `maxClients` clients are tracked (when full, the tenth with the oldest
 * windows is dropped), so forged addresses cannot grow memory without bound. The library's
 * own MemoryStore would keep an interval running until shut down.
 */
export function createWindowStore(windowMs: number, maxClients = 100_000, now: () => number = Date.now): Store {
  const windows = new Map<string, Window>();
  let nextSweep = 0;

  const makeRoom = (time: number) => {
    if (time >= nextSweep) {
      nextSweep = time + windowMs;
      for (const [key, window] of windows) if (window.resetTime.getTime() <= time) windows.delete(key);
    }
    if (windows.size < maxClients) return;
    // A Map iterates in insertion order, so the first keys have the oldest windows. A tenth goes
    // at once, because evicting one per request walked the deleted entries each time (89 µs).
    let excess = windows.size - maxClients + Math.ceil(maxClients / 10);
    for (const key of windows.keys()) {
      if (excess <= 0) break;
      windows.delete(key);
      excess -= 1;
    }
  };

  return {
    localKeys: true,
    increment(key) {
      const time = now();
      let window = windows.get(key);
      if (!window || window.resetTime.getTime() <= time) {
        windows.delete(key);
        makeRoom(time);
        window = { totalHits: 0, resetTime: new Date(time + windowMs) };
        windows.set(key, window);
      }
      window.totalHits += 1;
      return { totalHits: window.totalHits, resetTime: window.resetTime };
    },
    get: (key) => windows.get(key),
    decrement(key) {
      const window = windows.get(key);
      if (window && window.totalHits > 0) window.totalHits -= 1;
    },
    resetKey(key) {
      windows.delete(key);
    },
    resetAll() {
      windows.clear();
    },
  };
}

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  trustProxy: boolean;
}

// NOTE: counts live in this process. Behind a load balancer each process allows `limit`
// requests per client, so the effective limit is `limit` times the number of processes.
export function apiRateLimit({ limit, windowMs, trustProxy }: RateLimitOptions): MiddlewareHandler {
  const windowSeconds = windowMs / 1000;
  return rateLimiter({
    windowMs,
    limit,
    standardHeaders: 'draft-6',
    keyGenerator: (c) => clientAddress(c, trustProxy),
    store: createWindowStore(windowMs),
    handler: (c: Context) => {
      const retryAfter = c.res.headers.get('Retry-After') ?? String(Math.ceil(windowMs / 1000));
      return sendError(
        c,
        429,
        [
          detail(
            null,
            null,
            `at most ${limit} API requests per ${windowSeconds} s from one client`,
            `Too many requests: at most ${limit} per ${windowSeconds} s from one client (RATE_LIMIT_PER_MINUTE); retry after ${retryAfter} s.`,
          ),
        ],
        { 'Retry-After': retryAfter },
      );
    },
  });
}
