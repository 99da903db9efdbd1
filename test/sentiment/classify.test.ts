/** Labels from compound scores, configurable thresholds and scorer options. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  classifyCompound,
  createScorer,
  DEFAULT_MAX_SCORED_LENGTH,
  DEFAULT_THRESHOLDS,
  resolveThresholds,
  scorePost,
} from '../../src/sentiment/index.ts';

const classify = suite('sentiment labels');

classify('default thresholds are inclusive at 0.05', () => {
  assert.equal(DEFAULT_THRESHOLDS, { positive: 0.05, negative: -0.05 });
  assert.is(classifyCompound(0.05), 'positive');
  assert.is(classifyCompound(0.0499), 'neutral');
  assert.is(classifyCompound(0), 'neutral');
  assert.is(classifyCompound(-0.0499), 'neutral');
  assert.is(classifyCompound(-0.05), 'negative');
  assert.is(classifyCompound(1), 'positive');
  assert.is(classifyCompound(-1), 'negative');
});

classify('custom thresholds move the labels', () => {
  const thresholds = resolveThresholds({ positive: 0.5 });
  assert.equal(thresholds, { positive: 0.5, negative: -0.05 }, 'missing threshold keeps its default');
  assert.is(classifyCompound(0.4404, thresholds), 'neutral');
  assert.is(classifyCompound(0.5, thresholds), 'positive');
  assert.is(scorePost('good', ['en'], { thresholds: { positive: 0.5 } }).label, 'neutral', '"good" is 0.4404');
  assert.is(scorePost('good', ['en']).label, 'positive');
});

classify('invalid thresholds are rejected', () => {
  assert.throws(() => resolveThresholds({ positive: Number.NaN }), RangeError);
  assert.throws(() => resolveThresholds({ negative: -2 }), RangeError);
  assert.throws(() => resolveThresholds({ positive: 0.1, negative: 0.1 }), RangeError);
  assert.throws(() => resolveThresholds({ positive: -0.2, negative: 0.2 }), /must be below positive/);
});

classify('scorer exposes its resolved options', () => {
  const scorer = createScorer({ thresholds: { negative: -0.3 }, maxScoredLength: 500 });
  assert.equal(scorer.thresholds, { positive: 0.05, negative: -0.3 });
  assert.is(scorer.maxScoredLength, 500);
  assert.is(createScorer().maxScoredLength, DEFAULT_MAX_SCORED_LENGTH);
  assert.is(scorer.score('somewhat bored', ['en']).label, 'neutral', 'compound -0.204 stays above -0.3');
});

classify('invalid length caps are rejected', () => {
  for (const maxScoredLength of [0, -5, 1.5, Number.NaN]) {
    assert.throws(() => createScorer({ maxScoredLength }), RangeError, String(maxScoredLength));
  }
  assert.is(createScorer({ maxScoredLength: Number.POSITIVE_INFINITY }).maxScoredLength, Number.POSITIVE_INFINITY);
});

classify('scored results carry scores and label', () => {
  assert.equal(scorePost('VADER is smart, handsome, and funny!', ['en']), {
    neg: 0,
    neu: 0.248,
    pos: 0.752,
    compound: 0.8439,
    label: 'positive',
  });
});

classify.run();
