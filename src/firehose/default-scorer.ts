/** The production post scorer: VADER with language gating, configured from the service configuration. */
import type { Config } from '../config/schema.ts';
import { createScorer } from '../sentiment/index.ts';
import type { PostScorer } from './effects.ts';

export function createDefaultScorer(config: Config): PostScorer {
  return createScorer({
    thresholds: { positive: config.POSITIVE_THRESHOLD, negative: config.NEGATIVE_THRESHOLD },
    // The consumer already cut the text to MAX_TEXT_LENGTH, so the scorer scores all of it.
    maxScoredLength: config.MAX_TEXT_LENGTH,
  });
}
