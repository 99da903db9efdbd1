/**
 * Post scoring: language gating, the length cap, VADER scores and the label.
 */
import { polarityScores } from './analyzer.ts';
import { classifyCompound, resolveThresholds, type LabelThresholds } from './classify.ts';
import { detectEnglish, isScorableLanguage, type EnglishDetector } from './language.ts';
import { isPythonWhitespace } from './python-text.ts';
import type { Sentiment } from './types.ts';

/**
 * Default cap on the scored part of a text, in UTF-16 code units (JavaScript string length).
 * The app.bsky.feed.post lexicon limits `text` to 3,000 UTF-8 bytes, and every UTF-16 unit
 * takes at least one UTF-8 byte, so no valid post reaches the cap and its score is exactly
 * the reference's. The cap only bounds the cost of malformed or non-Bluesky input, about
 * 0.5 ms per 10,000 units on one core (bench/scoring.ts).
 */
export const DEFAULT_MAX_SCORED_LENGTH = 10_000;

export interface ScorerOptions {
  /** Compound thresholds of the labels; each defaults to DEFAULT_THRESHOLDS. */
  readonly thresholds?: Partial<LabelThresholds>;
  /** Maximum scored text length in UTF-16 code units; Infinity turns the cap off. */
  readonly maxScoredLength?: number;
  /** Decides whether a post without `langs` is English; defaults to the `eld` detector. */
  readonly detectEnglish?: EnglishDetector;
}

export interface Scorer {
  readonly thresholds: LabelThresholds;
  readonly maxScoredLength: number;
  /**
   * Scores a post's text, or returns the `unscored` result when the text is not a
   * non-blank string or the post is not in English.
   */
  score(text: string, langs?: readonly string[] | null): Sentiment;
}

function unscored(): Sentiment {
  return { neg: 0, neu: 0, pos: 0, compound: 0, label: 'unscored' };
}

function resolveMaxScoredLength(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_SCORED_LENGTH;
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 1)) return value;
  throw new RangeError(`Invalid maxScoredLength ${String(value)}: expected a positive integer or Infinity.`);
}

/**
 * Returns the first `maxLength` units of `text`, shortened further to end before the last
 * whitespace so that no word is cut, and never between the two halves of a surrogate pair.
 */
export function truncateForScoring(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = maxLength;
  // Whitespace right after the cut means the last word is whole.
  if (!isPythonWhitespace(text.charCodeAt(end))) {
    let wordStart = end;
    while (wordStart > 0 && !isPythonWhitespace(text.charCodeAt(wordStart - 1))) wordStart--;
    if (wordStart > 0) end = wordStart;
  }
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/** Creates a scorer with validated options. Throws a RangeError on an invalid option. */
export function createScorer(options: ScorerOptions = {}): Scorer {
  const thresholds = resolveThresholds(options.thresholds);
  const maxScoredLength = resolveMaxScoredLength(options.maxScoredLength);
  const detect = options.detectEnglish ?? detectEnglish;

  function score(text: string, langs?: readonly string[] | null): Sentiment {
    // Records from the network may carry a non-string text; they have nothing to score.
    if (typeof text !== 'string') return unscored();
    const scoredText = truncateForScoring(text, maxScoredLength);
    if (!isScorableLanguage(scoredText, langs, detect)) return unscored();
    const scores = polarityScores(scoredText);
    return { ...scores, label: classifyCompound(scores.compound, thresholds) };
  }

  return Object.freeze({ thresholds, maxScoredLength, score });
}

const defaultScorer = createScorer();

/**
 * Scores one post with the default options, or with `options` when given. `langs` is the
 * post record's language list; undefined or empty lets the language detector decide.
 */
export function scorePost(text: string, langs: readonly string[] | null | undefined, options?: ScorerOptions): Sentiment {
  const scorer = options === undefined ? defaultScorer : createScorer(options);
  return scorer.score(text, langs);
}
