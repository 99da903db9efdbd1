/**
 * Exact parity with the reference analyzer (Python vaderSentiment 3.3.2): every row of both
 * reference files must give the same neg, neu, pos and compound to 4 decimals.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { polarityScores } from '../../src/sentiment/index.ts';
import { sharedDataPath, skipWithoutSharedData } from '../support/shared-data.ts';
import {
  formatScore,
  GROUND_TRUTH_FILE,
  HARD_CASES_FILE,
  readGroundTruth,
  readHardCases,
  type ReferenceRow,
} from './reference-data.ts';

const MISMATCHES_SHOWN = 10;

/** Counts the rows whose scores differ from the reference and describes the first ones. */
function describeMismatches(rows: readonly ReferenceRow[]): { count: number; report: string } {
  const lines: string[] = [];
  let count = 0;
  for (const row of rows) {
    const scores = polarityScores(row.text);
    const actual = [scores.neg, scores.neu, scores.pos, scores.compound].map(formatScore).join(' ');
    const expected = row.expected.map(formatScore).join(' ');
    if (actual === expected) continue;
    count++;
    if (lines.length < MISMATCHES_SHOWN) {
      lines.push(`${row.id}: expected ${expected}, got ${actual} for ${JSON.stringify(row.text.slice(0, 80))}`);
    }
  }
  return { count, report: lines.join('\n') };
}

const parity = suite('sentiment parity');

parity('every hard-case row matches the reference', () => {
  if (skipWithoutSharedData(HARD_CASES_FILE)) return;
  const rows = readHardCases(sharedDataPath(HARD_CASES_FILE) as string);
  assert.is(rows.length, 257, 'row count of the hard cases');
  const { count, report } = describeMismatches(rows);
  assert.is(count, 0, `${count} of ${rows.length} rows differ from the reference:\n${report}`);
});

parity('every ground-truth row matches the reference', () => {
  if (skipWithoutSharedData(GROUND_TRUTH_FILE)) return;
  const rows = readGroundTruth(sharedDataPath(GROUND_TRUTH_FILE) as string);
  assert.is(rows.length, 23_703, 'row count of the ground-truth corpora');
  const { count, report } = describeMismatches(rows);
  assert.is(count, 0, `${count} of ${rows.length} rows differ from the reference:\n${report}`);
});

parity.run();
