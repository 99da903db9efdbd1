/**
 * Field cases reported against VADER and its ports: image-only posts, huge texts, words
 * hidden by punctuation or emoji, and polite negated idioms. Expected scores are the
 * reference's (vaderSentiment 3.3.2), whose rules already fix most of these cases.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  averageCompound,
  DEFAULT_MAX_SCORED_LENGTH,
  labelDistribution,
  polarityScores,
  scoreBatch,
  scorePost,
  truncateForScoring,
} from '../../src/sentiment/index.ts';

const fieldCases = suite('sentiment field cases');

fieldCases('image-only posts are unscored', () => {
  for (const text of ['', '   ', '\u200b']) {
    assert.equal(scorePost(text, undefined), { neg: 0, neu: 0, pos: 0, compound: 0, label: 'unscored' });
  }
});

fieldCases('window of text-less posts averages to null', () => {
  const window = scoreBatch([{ text: '' }, { text: '   ' }, { text: '\u200b', langs: [] }]);
  const distribution = labelDistribution(window);
  assert.is(distribution.total, 3, 'the posts are counted as seen');
  assert.is(distribution.scored, 0);
  assert.is(distribution.shares, null, 'no "100% neutral"');
  assert.is(averageCompound(window), null, 'no NaN average');
});

fieldCases('2,000,000-character post is scored on its first 10,000 units', () => {
  const text = 'bad good '.repeat(222_223);
  assert.ok(text.length >= 2_000_000);
  const truncated = truncateForScoring(text, DEFAULT_MAX_SCORED_LENGTH);
  assert.ok(truncated.length <= DEFAULT_MAX_SCORED_LENGTH);
  assert.ok(text.startsWith(truncated));
  const words = truncated.split(' ').filter((word) => word.length > 0);
  assert.ok(words.every((word) => word === 'bad' || word === 'good'), 'no word is cut');
  const { label, ...scores } = scorePost(text, ['en']);
  assert.equal(scores, polarityScores(truncated));
  assert.is(label, 'negative');
});

fieldCases('truncation never splits a surrogate pair', () => {
  const emoji = '😀'.repeat(6_000);
  assert.is(truncateForScoring(emoji, 9_999), '😀'.repeat(4_999));
  assert.is(truncateForScoring(emoji, 10_000), '😀'.repeat(5_000));
  assert.is(truncateForScoring('short text', 10_000), 'short text');
});

fieldCases('uncapped scoring handles 2,000,000 characters', () => {
  const scores = polarityScores('bad good '.repeat(222_223));
  for (const value of Object.values(scores)) assert.ok(Number.isFinite(value));
});

/**
 * Words behind punctuation, hashtags and emoji. `compound` is the reference's score, and
 * `agrees` is whether its sign now matches the sign of the plain-word version.
 */
const HIDDEN_WORDS = [
  { text: 'This is so bad', plain: 'This is so bad', compound: -0.6696, agrees: true },
  { text: 'This is so bad!!!', plain: 'This is so bad', compound: -0.7482, agrees: true },
  { text: 'This is so bad!!!!!', plain: 'This is so bad', compound: -0.769, agrees: true },
  { text: 'This is so bad!?', plain: 'This is so bad', compound: -0.6988, agrees: true },
  { text: 'so sad', plain: 'so sad', compound: -0.5256, agrees: true },
  { text: 'so sad…', plain: 'so sad', compound: 0, agrees: false },
  { text: 'I am happy', plain: 'I am happy', compound: 0.5719, agrees: true },
  { text: 'I am happy!!!!', plain: 'I am happy', compound: 0.7067, agrees: true },
  { text: '“happy”', plain: 'happy', compound: 0, agrees: false },
  { text: '#happy', plain: 'happy', compound: 0.5719, agrees: true },
  { text: 'happy🎉', plain: 'happy', compound: 0.7506, agrees: true },
  { text: 'great😊', plain: 'great', compound: 0.8779, agrees: true },
  { text: 'Great start, but the ending was awful', plain: 'Great start, but the ending was awful', compound: -0.3506, agrees: true },
  { text: 'Great start. But the ending was awful', plain: 'Great start, but the ending was awful', compound: -0.3506, agrees: true },
];

fieldCases('hidden words score as the reference does', () => {
  for (const row of HIDDEN_WORDS) {
    const compound = polarityScores(row.text).compound;
    assert.is(compound, row.compound, row.text);
    const plain = polarityScores(row.plain).compound;
    assert.is(Math.sign(compound) === Math.sign(plain), row.agrees, `sign agreement of ${row.text}`);
  }
});

fieldCases('ellipsis and curly quotes still hide words', () => {
  // The reference strips ASCII punctuation only, so "sad…" and “happy” are unknown words.
  assert.is(polarityScores('so sad…').compound, 0);
  assert.is(polarityScores('“happy”').compound, 0);
  assert.is(polarityScores('so sad...').compound, -0.5256, 'three ASCII dots are stripped');
});

const POLITE_IDIOMS = [
  { text: 'no problem', compound: 0.3089 },
  { text: 'no worries', compound: 0.3252 },
  { text: 'no problem at all, happy to help', compound: 0.8252 },
  { text: 'not bad', compound: 0.431 },
  { text: 'not bad at all', compound: 0.431 },
];

fieldCases('polite negated idioms are not negative', () => {
  for (const row of POLITE_IDIOMS) {
    const compound = polarityScores(row.text).compound;
    assert.is(compound, row.compound, row.text);
    assert.ok(compound >= 0, `${row.text} is not negative`);
  }
});

fieldCases.run();
