/**
 * Wall-clock time in milliseconds with sub-millisecond resolution, comparable across processes
 * on one machine: `performance.timeOrigin` is the process start on the system clock, and
 * `performance.now()` counts monotonically from there.
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
