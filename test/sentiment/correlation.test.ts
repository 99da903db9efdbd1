/**
 * Table 4 of Hutto and Gilbert (ICWSM 2014) reports the Pearson correlation between VADER's
 * compound score and the mean human rating on four corpora. The reference vaderSentiment
 * 3.3.2 gives 0.872 (tweets), 0.428 (movie reviews), 0.590 (product reviews) and 0.503
 * (newspaper editorials). The paper itself reports 0.881, 0.451, 0.565 and 0.492.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { polarityScores } from '../../src/sentiment/index.ts';
import { sharedDataPath, skipWithoutSharedData } from '../support/shared-data.ts';
import { GROUND_TRUTH_FILE, readGroundTruth } from './reference-data.ts';

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < n; i++) {
    covariance += (xs[i] - meanX) * (ys[i] - meanY);
    varianceX += (xs[i] - meanX) ** 2;
    varianceY += (ys[i] - meanY) ** 2;
  }
  return covariance / Math.sqrt(varianceX * varianceY);
}

const REFERENCE_CORRELATIONS: Readonly<Record<string, number>> = {
  tweets: 0.872,
  movie: 0.428,
  amazon: 0.59,
  nyt: 0.503,
};

const correlation = suite('sentiment correlation with human ratings');

correlation('Table 4 correlations match the reference', () => {
  if (skipWithoutSharedData(GROUND_TRUTH_FILE)) return;
  const rows = readGroundTruth(sharedDataPath(GROUND_TRUTH_FILE) as string);
  const byCorpus = new Map<string, { compounds: number[]; ratings: number[] }>();
  for (const row of rows) {
    let corpus = byCorpus.get(row.corpus);
    if (corpus === undefined) {
      corpus = { compounds: [], ratings: [] };
      byCorpus.set(row.corpus, corpus);
    }
    corpus.compounds.push(polarityScores(row.text).compound);
    corpus.ratings.push(row.humanMean);
  }
  assert.equal([...byCorpus.keys()].sort(), Object.keys(REFERENCE_CORRELATIONS).sort(), 'corpora in the file');
  for (const [name, expected] of Object.entries(REFERENCE_CORRELATIONS)) {
    const corpus = byCorpus.get(name);
    if (corpus === undefined) continue;
    const r = pearson(corpus.compounds, corpus.ratings);
    assert.is(r.toFixed(3), expected.toFixed(3), `Pearson r of the ${name} corpus`);
  }
});

correlation.run();
