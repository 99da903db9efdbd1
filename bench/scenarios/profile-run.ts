/** Wraps one measured run in a CPU profile of the service and notes where its time went. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayCommand, repositoryRoot } from '../lib/paths.ts';
import { readBundleModules, selfTimeByArea, topSelfTime } from '../lib/profiler.ts';
import type { ScenarioResult } from '../lib/results.ts';
import type { ScenarioContext } from '../lib/scenario.ts';
import type { ServiceUnderTest } from '../lib/service.ts';
import { formatNumber } from '../lib/table.ts';

export async function profileRun<T>(
  service: ServiceUnderTest,
  context: ScenarioContext,
  result: ScenarioResult,
  measure: () => Promise<T>,
): Promise<T> {
  const profiler = await service.profiler();
  await profiler.start();
  let outcome: T;
  try {
    outcome = await measure();
  } finally {
    mkdirSync(context.profileFolder, { recursive: true });
    const path = join(context.profileFolder, `${result.id}-${context.runtime}.cpuprofile`);
    const profile = await profiler.stop(path);
    const bundlePath = join(repositoryRoot, 'dist/server.js');
    const bundleModules = context.runtime === 'node' && existsSync(bundlePath) ? readBundleModules(readFileSync(bundlePath, 'utf8')) : null;
    const areas = selfTimeByArea(profile, bundleModules)
      .filter((entry) => entry.selfPercent >= 1)
      .map((entry) => `${entry.area} ${formatNumber(entry.selfPercent, 0)}%`)
      .join(', ');
    const top = topSelfTime(profile, 8)
      .map((entry) => `${entry.functionName}${entry.location ? ` (${entry.location})` : ''} ${formatNumber(entry.selfPercent, 1)}%`)
      .join('; ');
    result.notes.push(
      `CPU profile of the service in the last run (\`${displayCommand([path])}\`), self time as a share of busy samples. By area: ${areas}. Top functions: ${top}.`,
    );
  }
  return outcome;
}
