/** Batch scoring and the operations on sets of scored posts. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  averageCompound,
  createScorer,
  filterByLabel,
  labelDistribution,
  mostNegative,
  mostPositive,
  scoreBatch,
  type Sentiment,
} from '../../src/sentiment/index.ts';

function sentiment(compound: number, label: Sentiment['label']): Sentiment {
  return { neg: 0, neu: 0, pos: 0, compound, label };
}

const SAMPLE: readonly Sentiment[] = [
  sentiment(0.6, 'positive'),
  sentiment(-0.4, 'negative'),
  sentiment(0, 'unscored'),
  sentiment(0.02, 'neutral'),
  sentiment(0.6, 'positive'),
  sentiment(-0.9, 'negative'),
];

const helpers = suite('sentiment helpers');

helpers('batch scoring keeps input order', () => {
  const posts = [
    { text: 'I love it', langs: ['en'] },
    { text: 'Это ужасно', langs: ['ru'] },
    { text: 'I hate it', langs: ['en'] },
    { text: '', langs: ['en'] },
  ];
  const labels = scoreBatch(posts).map((result) => result.label);
  assert.equal(labels, ['positive', 'unscored', 'negative', 'unscored']);
  const strict = scoreBatch(posts, { thresholds: { positive: 0.9 } }).map((result) => result.label);
  assert.equal(strict[0], 'neutral', 'options create a scorer');
  const scorer = createScorer({ thresholds: { negative: -0.9 } });
  assert.equal(scoreBatch(posts, scorer)[2].label, 'neutral', 'a scorer is used as is');
});

helpers('distribution counts labels and shares', () => {
  const distribution = labelDistribution(SAMPLE);
  assert.equal(distribution.counts, { positive: 2, neutral: 1, negative: 2, unscored: 1 });
  assert.is(distribution.total, 6);
  assert.is(distribution.scored, 5);
  assert.equal(distribution.shares, { positive: 0.4, neutral: 0.2, negative: 0.4 });
});

helpers('distribution of nothing scored has null shares', () => {
  assert.equal(labelDistribution([]), {
    counts: { positive: 0, neutral: 0, negative: 0, unscored: 0 },
    total: 0,
    scored: 0,
    shares: null,
  });
  assert.is(labelDistribution([sentiment(0, 'unscored')]).shares, null);
});

helpers('distribution rejects unknown labels', () => {
  assert.throws(() => labelDistribution([{ compound: 0, label: 'happy' as Sentiment['label'] }]), TypeError);
});

helpers('average compound skips unscored items', () => {
  assert.is(averageCompound(SAMPLE), (0.6 - 0.4 + 0.02 + 0.6 - 0.9) / 5);
  assert.is(averageCompound([]), null);
  assert.is(averageCompound([sentiment(0, 'unscored')]), null);
});

helpers('most positive and most negative', () => {
  assert.equal(mostPositive(SAMPLE, 2), [SAMPLE[0], SAMPLE[4]], 'ties keep input order');
  assert.equal(mostNegative(SAMPLE, 2), [SAMPLE[5], SAMPLE[1]]);
  assert.equal(mostPositive(SAMPLE, 10).length, 5, 'unscored items are skipped');
  assert.equal(mostNegative(SAMPLE, 0), []);
  assert.throws(() => mostPositive(SAMPLE, -1), RangeError);
  assert.throws(() => mostPositive(SAMPLE, 1.5), RangeError);
});

helpers('selectors reach nested sentiments', () => {
  const posts = SAMPLE.map((result, index) => ({ uri: `post-${index}`, sentiment: result }));
  const select = (post: (typeof posts)[number]) => post.sentiment;
  assert.equal(mostPositive(posts, 1, select).map((post) => post.uri), ['post-0']);
  assert.equal(mostNegative(posts, 1, select).map((post) => post.uri), ['post-5']);
  assert.equal(filterByLabel(posts, 'negative', select).map((post) => post.uri), ['post-1', 'post-5']);
  assert.is(labelDistribution(posts, select).scored, 5);
  assert.is(averageCompound(posts, select), averageCompound(SAMPLE));
});

helpers('filter by label keeps input order', () => {
  assert.equal(filterByLabel(SAMPLE, 'positive'), [SAMPLE[0], SAMPLE[4]]);
  assert.equal(filterByLabel(SAMPLE, 'unscored'), [SAMPLE[2]]);
  assert.equal(filterByLabel([], 'neutral'), []);
});

helpers.run();
