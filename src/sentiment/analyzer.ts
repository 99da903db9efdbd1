/**
 * VADER polarity scores with exact parity to the reference implementation, Python
 * vaderSentiment 3.3.2: for the same text, neg/neu/pos/compound are the same numbers after
 * the reference's rounding. The steps follow the published algorithm (Hutto and Gilbert,
 * ICWSM 2014) with the reference's later rules and quirks. The tests compare the results with
 * the reference's own outputs for 23,703 corpus texts and 257 hard cases.
 */
import {
  EXCLAMATION_MAX_COUNT,
  EXCLAMATION_WEIGHT,
  NORMALIZE_ALPHA,
  QUESTION_MAX_EMPHASIS,
  QUESTION_WEIGHT,
} from './constants.ts';
import { applyButRule } from './but-rule.ts';
import { LEXICON } from './lexicon.ts';
import { asciiCaseFlags, HAS_ASCII_UPPER, HAS_NON_ASCII, pythonIsUpper, pythonRound } from './python-text.ts';
import { splitWords, translateEmoji } from './tokenize.ts';
import type { SentimentScores } from './types.ts';
import { tokenSentiment, type TokenContext } from './valence.ts';

/**
 * Scores `text` like the reference's `polarity_scores`. Empty or whitespace-only text gives
 * all four scores 0. Throws a TypeError for a non-string, as the reference does.
 */
export function polarityScores(text: string): SentimentScores {
  if (typeof text !== 'string') {
    throw new TypeError(`polarityScores expects a string, got ${text === null ? 'null' : typeof text}`);
  }
  const translated = translateEmoji(text);
  const words: string[] = [];
  splitWords(translated, words);
  if (words.length === 0) return { neg: 0, neu: 0, pos: 0, compound: 0 };

  const context = buildContext(words);
  const sentiments = new Array<number>(context.count);
  for (let i = 0; i < context.count; i++) sentiments[i] = tokenSentiment(context, i);
  applyButRule(context.lower, sentiments);
  return scoreValence(sentiments, translated);
}

function buildContext(words: string[]): TokenContext {
  const count = words.length;
  const lower = new Array<string>(count);
  const lexicon = new Array<number>(count);
  const upper = new Array<boolean>(count);
  let upperCount = 0;
  for (let i = 0; i < count; i++) {
    const word = words[i];
    const flags = asciiCaseFlags(word);
    // Most tokens are lowercase ASCII, which needs neither toLowerCase nor a Unicode check.
    const lowered = flags & (HAS_ASCII_UPPER | HAS_NON_ASCII) ? word.toLowerCase() : word;
    lower[i] = lowered;
    lexicon[i] = LEXICON.get(lowered) ?? Number.NaN;
    const isUpper = flags & HAS_NON_ASCII ? pythonIsUpper(word) : flags === HAS_ASCII_UPPER;
    upper[i] = isUpper;
    if (isUpper) upperCount++;
  }
  const capDifferential = upperCount > 0 && upperCount < count;
  return { count, words, lower, lexicon, upper, capDifferential };
}

/** Emphasis from "!" (up to 4) and "?" (2 or more) anywhere in the text. */
function punctuationEmphasis(text: string): number {
  let exclamations = 0;
  let questions = 0;
  for (let index = text.indexOf('!'); index >= 0; index = text.indexOf('!', index + 1)) exclamations++;
  for (let index = text.indexOf('?'); index >= 0; index = text.indexOf('?', index + 1)) questions++;

  const exclamationEmphasis = Math.min(exclamations, EXCLAMATION_MAX_COUNT) * EXCLAMATION_WEIGHT;
  let questionEmphasis = 0;
  if (questions > 1) questionEmphasis = questions <= 3 ? questions * QUESTION_WEIGHT : QUESTION_MAX_EMPHASIS;
  return exclamationEmphasis + questionEmphasis;
}

function normalize(score: number): number {
  const normalized = score / Math.sqrt(score * score + NORMALIZE_ALPHA);
  if (normalized < -1.0) return -1.0;
  if (normalized > 1.0) return 1.0;
  return normalized;
}

function scoreValence(sentiments: readonly number[], text: string): SentimentScores {
  // Summation order matters for the last bits, so it follows the reference: left to right.
  let sum = 0;
  for (const sentiment of sentiments) sum += sentiment;
  const emphasis = punctuationEmphasis(text);
  if (sum > 0) sum += emphasis;
  else if (sum < 0) sum -= emphasis;
  const compound = normalize(sum);

  // Each nonzero valence also counts one extra unit, the weight of a neutral word.
  let positiveSum = 0.0;
  let negativeSum = 0.0;
  let neutralCount = 0;
  for (const sentiment of sentiments) {
    if (sentiment > 0) positiveSum += sentiment + 1;
    if (sentiment < 0) negativeSum += sentiment - 1;
    if (sentiment === 0) neutralCount += 1;
  }
  if (positiveSum > Math.abs(negativeSum)) positiveSum += emphasis;
  else if (positiveSum < Math.abs(negativeSum)) negativeSum -= emphasis;

  const total = positiveSum + Math.abs(negativeSum) + neutralCount;
  return {
    neg: pythonRound(Math.abs(negativeSum / total), 3),
    neu: pythonRound(Math.abs(neutralCount / total), 3),
    pos: pythonRound(Math.abs(positiveSum / total), 3),
    compound: pythonRound(compound, 4),
  };
}
