/** The shape of benchmark results, shared by the scenarios, the table printer and the report. */
import type { RuntimeName } from './service.ts';
import { summarizeRuns } from './stats.ts';

/** A bound the median must meet; judged in full runs only, never in quick mode. */
export interface Target {
  /** Human form, such as ">= 25,000 posts/s". */
  text: string;
  atLeast?: number;
  atMost?: number;
  /** Judged on Node only; Deno's figure is reported beside it. */
  nodeOnly?: boolean;
}

export interface Measurement {
  /** Stable key, unique within a scenario. */
  key: string;
  label: string;
  unit: string;
  /** One value per measured run; the report shows the median and the range. */
  runs: number[];
  /** Decimals for values below 1,000. */
  digits?: number;
  target?: Target;
}

/** A correctness condition; quick mode fails when one does not hold. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  runtime: RuntimeName;
  measurements: Measurement[];
  checks: Check[];
  /** Facts a reader needs to interpret the numbers (configuration, CPU sharing, caveats). */
  notes: string[];
  /** Foreign CPU per measured run, in percent of one core. */
  foreignCpu: number[];
  /** Set when the scenario did not run, with the reason. */
  skipped?: string;
}

/** Everything one invocation of the harness measured. */
export interface BenchRecord {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  command: string;
  machine: import('./machine.ts').MachineInfo;
  results: ScenarioResult[];
}

export type Verdict = { state: 'met' | 'missed'; median: number } | { state: 'not judged' | 'no target' };

/** Judges the median of `measurement` against its target for `runtime`. */
export function judge(measurement: Measurement, runtime: RuntimeName, quick: boolean): Verdict {
  const { target } = measurement;
  if (!target || measurement.runs.length === 0) return { state: 'no target' };
  if (quick || (target.nodeOnly && runtime !== 'node')) return { state: 'not judged' };
  const { median } = summarizeRuns(measurement.runs);
  const met = (target.atLeast === undefined || median >= target.atLeast) && (target.atMost === undefined || median <= target.atMost);
  return { state: met ? 'met' : 'missed', median };
}
