/** Scenario interface: the context every scenario receives, including the cleanup registry, and its result. */
import type { ExpectedCounts } from './events.ts';
import type { ScenarioResult } from './results.ts';
import type { RuntimeName } from './service.ts';

export interface ScenarioContext {
  runtime: RuntimeName;
  /** Small scale, correctness only: times are measured but never judged. */
  quick: boolean;
  /** Measured runs per scenario (after one warm-up where the scenario uses one). */
  runs: number;
  /** Write a CPU profile of the service's last measured run to `profileFolder`. */
  profile: boolean;
  profileFolder: string;
  benchFile: string;
  benchCounts: ExpectedCounts;
  /** Extra service environment from `--service-env`; scenarios apply it after their own settings. */
  serviceEnv: Record<string, string>;
  /** Length of the soak in minutes. */
  soakMinutes: number;
  /** Registers a cleanup that runs if the harness is interrupted; returns its remover. */
  onInterrupt(cleanup: () => Promise<void> | void): () => void;
}

export interface Scenario {
  id: string;
  title: string;
  /** Runs in full mode only (the soak). */
  fullOnly?: boolean;
  /** Starts the service, so `--service-env` applies to it. */
  startsService: boolean;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

/** Time to wait for a quiet machine before a run: none in quick mode, which never judges times. */
export function quietWaitMs(context: ScenarioContext): number {
  return context.quick ? 0 : 30_000;
}

/** Creates an empty result for the scenario to fill in. */
export function newResult(scenario: Pick<Scenario, 'id' | 'title'>, runtime: RuntimeName): ScenarioResult {
  return { id: scenario.id, title: scenario.title, runtime, measurements: [], checks: [], notes: [], foreignCpu: [] };
}
