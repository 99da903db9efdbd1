/** Every scenario, in the order they run and appear in the report. */
import type { Scenario } from '../lib/scenario.ts';
import { fanoutScenario } from './fanout.ts';
import { ingestScenario } from './ingest.ts';
import { latencyScenario } from './latency.ts';
import { scoringScenario } from './scoring.ts';
import { soakScenario } from './soak.ts';
import { statsLoadScenario } from './stats-load.ts';
import { storeScenario } from './store.ts';

export const SCENARIOS: Scenario[] = [scoringScenario, ingestScenario, storeScenario, latencyScenario, fanoutScenario, soakScenario, statsLoadScenario];
