/**
 * Fallbacks for prom-client's process metrics on runtimes where some of them cannot be
 * collected, so /metrics keeps working and never reports a made-up 0.
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../log/logger.ts';
import { residentMemoryBytes } from '../runtime/index.ts';

/** prom-client metrics that read /proc/self on Linux and report 0 when they cannot. */
const PROC_METRICS = ['process_resident_memory_bytes', 'process_virtual_memory_bytes', 'process_heap_bytes', 'process_open_fds', 'process_max_fds'];

/**
 * Replaces prom-client's Linux process metrics when /proc/self is not readable. Deno allows it
 * only with --allow-all, so under the documented flags those metrics would read 0. They are
 * removed instead, and resident memory comes from process.memoryUsage(), which needs no file.
 */
export function replaceUnreadableProcMetrics(registry: Registry, log: Logger): void {
  if (process.platform !== 'linux') return;
  try {
    readFileSync('/proc/self/status', 'utf8');
    return;
  } catch {
    // Not readable: fall through.
  }
  for (const name of PROC_METRICS) registry.removeSingleMetric(name);
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers: [registry],
    collect() {
      this.set(residentMemoryBytes());
    },
  });
  log.info({ removed: PROC_METRICS.slice(1) }, '/proc/self is not readable; resident memory comes from process.memoryUsage(), and virtual memory, heap and file descriptor metrics are omitted');
}

/**
 * Removes prom-client's process metrics whose collection throws on this runtime, so one
 * unsupported API does not fail every scrape. Returns whether it removed any; our own metrics
 * are never removed, since a failure there is a bug to surface.
 */
export async function removeFailingProcessMetrics(registry: Registry, log: Logger): Promise<boolean> {
  let removed = false;
  for (const metric of registry.getMetricsAsArray() as unknown as Array<{ name: string; get(): Promise<unknown> }>) {
    try {
      await metric.get();
    } catch (error) {
      const name = metric.name;
      if (name.startsWith('skypulse_')) continue;
      registry.removeSingleMetric(name);
      log.warn({ err: error, metric: name }, 'process metric removed: it cannot be collected on this runtime');
      removed = true;
    }
  }
  return removed;
}
