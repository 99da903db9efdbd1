/**
 * The bounded queue between the socket loop and the batcher. The socket side never waits:
 * `push` always accepts (so nothing is silently dropped) and reports when the queue reaches its
 * high-water mark, at which point the caller pauses reading from the socket. The batcher's
 * `take` reports when the queue falls to the low-water mark, so reading can resume.
 */

export interface IngestQueue<T> {
  /** Appends `item`; returns true when the queue is now at or above its high-water mark. */
  push(item: T): boolean;
  /** Removes and returns up to `max` items from the front. */
  take(max: number): T[];
  /** Resolves once the queue holds at least one item, or when `cancel` is called. */
  waitForItems(): Promise<void>;
  /** Resolves a pending `waitForItems` without items, so a waiting batcher can stop. */
  cancel(): void;
  readonly length: number;
  /** Whether the queue is at or below its low-water mark. */
  readonly belowLowWater: boolean;
}

export function createIngestQueue<T>(highWater: number, lowWater = Math.floor(highWater / 2)): IngestQueue<T> {
  if (!(highWater >= 1) || !(lowWater >= 0 && lowWater < highWater)) {
    throw new RangeError(`Invalid queue marks: highWater=${highWater}, lowWater=${lowWater}; expected 0 <= lowWater < highWater.`);
  }
  // Array with a moving head: shift() on a large array is O(n), and take() compacts instead.
  let items: T[] = [];
  let head = 0;
  let waiter: (() => void) | null = null;

  const wake = () => {
    const resolve = waiter;
    waiter = null;
    resolve?.();
  };

  return {
    push(item) {
      items.push(item);
      if (waiter) wake();
      return items.length - head >= highWater;
    },
    take(max) {
      const end = Math.min(items.length, head + max);
      const taken = items.slice(head, end);
      head = end;
      if (head === items.length) {
        items = [];
        head = 0;
      } else if (head > 4096 && head * 2 > items.length) {
        items = items.slice(head);
        head = 0;
      }
      return taken;
    },
    waitForItems() {
      if (items.length - head > 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const previous = waiter;
        waiter = () => {
          previous?.();
          resolve();
        };
      });
    },
    cancel: wake,
    get length() {
      return items.length - head;
    },
    get belowLowWater() {
      return items.length - head <= lowWater;
    },
  };
}
