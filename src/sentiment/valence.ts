/**
 * Valence of one token in its context: the lexicon value adjusted by the rules of the
 * reference's `sentiment_valence` (negation, boosters, capitals, "no", "least", idioms).
 * Each rule looks at most three tokens back and two ahead, so this step is linear in the
 * number of tokens.
 */
import {
  BOOSTER_DISTANCE_2_FACTOR,
  BOOSTER_DISTANCE_3_FACTOR,
  BOOSTERS,
  C_INCR,
  N_SCALAR,
  NEGATION_WORDS,
  NEVER_SO_FACTOR,
  PHRASE_WORDS,
  SPECIAL_CASES,
} from './constants.ts';

/** Tokens of one text with what the rules need to know about each. */
export interface TokenContext {
  readonly count: number;
  /** Tokens after punctuation stripping, case kept. */
  readonly words: readonly string[];
  /** The same tokens lowercased. */
  readonly lower: readonly string[];
  /** Lexicon valence of each lowercased token, NaN when the token is not in the lexicon. */
  readonly lexicon: readonly number[];
  /** Whether each token is ALL CAPS (Python `isupper()`). */
  readonly upper: readonly boolean[];
  /** True when some but not all tokens are ALL CAPS, which turns on the capitals rules. */
  readonly capDifferential: boolean;
}

/** Returns the valence of token `i`. Boosters and the "kind" of "kind of" get 0. */
export function tokenSentiment(context: TokenContext, i: number): number {
  const word = context.lower[i];
  if (BOOSTERS.has(word)) return 0;
  if (word === 'kind' && i < context.count - 1 && context.lower[i + 1] === 'of') return 0;

  const baseValence = context.lexicon[i];
  if (Number.isNaN(baseValence)) return 0;
  return adjustedValence(context, i, baseValence);
}

function inLexicon(context: TokenContext, i: number): boolean {
  return !Number.isNaN(context.lexicon[i]);
}

function adjustedValence(context: TokenContext, i: number, baseValence: number): number {
  const lower = context.lower;
  let valence = baseValence;

  // "no" before a lexicon word negates it instead of scoring as a negative word itself.
  if (lower[i] === 'no' && i !== context.count - 1 && inLexicon(context, i + 1)) valence = 0.0;
  if (
    (i > 0 && lower[i - 1] === 'no') ||
    (i > 1 && lower[i - 2] === 'no') ||
    (i > 2 && lower[i - 3] === 'no' && (lower[i - 1] === 'or' || lower[i - 1] === 'nor'))
  ) {
    valence = baseValence * N_SCALAR;
  }

  if (context.upper[i] && context.capDifferential) {
    if (valence > 0) valence += C_INCR;
    else valence -= C_INCR;
  }

  for (let distance = 0; distance < 3; distance++) {
    const before = i - (distance + 1);
    if (i <= distance || inLexicon(context, before)) continue;
    let scalar = boosterScalar(context, before, valence);
    if (distance === 1 && scalar !== 0) scalar = scalar * BOOSTER_DISTANCE_2_FACTOR;
    if (distance === 2 && scalar !== 0) scalar = scalar * BOOSTER_DISTANCE_3_FACTOR;
    valence = valence + scalar;
    valence = negationCheck(context, valence, distance, i);
    if (distance === 2) valence = specialCaseCheck(context, valence, i);
  }

  return leastCheck(context, valence, i);
}

function boosterScalar(context: TokenContext, j: number, valence: number): number {
  const boost = BOOSTERS.get(context.lower[j]);
  if (boost === undefined) return 0.0;
  let scalar = boost;
  if (valence < 0) scalar *= -1;
  if (context.upper[j] && context.capDifferential) {
    if (valence > 0) scalar += C_INCR;
    else scalar -= C_INCR;
  }
  return scalar;
}

function isNegation(word: string): boolean {
  return NEGATION_WORDS.has(word) || word.includes("n't");
}

function negationCheck(context: TokenContext, valence: number, distance: number, i: number): number {
  const lower = context.lower;
  if (distance === 0) {
    return isNegation(lower[i - 1]) ? valence * N_SCALAR : valence;
  }
  if (distance === 1) {
    if (lower[i - 2] === 'never' && (lower[i - 1] === 'so' || lower[i - 1] === 'this')) {
      return valence * NEVER_SO_FACTOR;
    }
    if (lower[i - 2] === 'without' && lower[i - 1] === 'doubt') return valence;
    return isNegation(lower[i - 2]) ? valence * N_SCALAR : valence;
  }
  // The reference's condition reads `never and (so or this) or (so or this)`: Python binds
  // `and` tighter, so "so" or "this" right before the word triggers the factor on its own.
  if (
    (lower[i - 3] === 'never' && (lower[i - 2] === 'so' || lower[i - 2] === 'this')) ||
    lower[i - 1] === 'so' ||
    lower[i - 1] === 'this'
  ) {
    return valence * NEVER_SO_FACTOR;
  }
  if (lower[i - 3] === 'without' && (lower[i - 2] === 'doubt' || lower[i - 1] === 'doubt')) return valence;
  return isNegation(lower[i - 3]) ? valence * N_SCALAR : valence;
}

/** Joins the lowercased tokens first..last (inclusive) with spaces, or returns null when no phrase key can match. */
function phrase(context: TokenContext, first: number, last: number): string | null {
  for (let j = first; j <= last; j++) if (!PHRASE_WORDS.has(context.lower[j])) return null;
  let joined = context.lower[first];
  for (let j = first + 1; j <= last; j++) joined += ' ' + context.lower[j];
  return joined;
}

function specialCaseCheck(context: TokenContext, valence: number, i: number): number {
  // Only called with i >= 3, so every index below is valid.
  const oneZero = phrase(context, i - 1, i);
  const twoOneZero = phrase(context, i - 2, i);
  const twoOne = phrase(context, i - 2, i - 1);
  const threeTwoOne = phrase(context, i - 3, i - 1);
  const threeTwo = phrase(context, i - 3, i - 2);

  for (const sequence of [oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo]) {
    const special = sequence === null ? undefined : SPECIAL_CASES.get(sequence);
    if (special !== undefined) {
      valence = special;
      break;
    }
  }
  if (context.count - 1 > i) {
    const zeroOne = phrase(context, i, i + 1);
    const special = zeroOne === null ? undefined : SPECIAL_CASES.get(zeroOne);
    if (special !== undefined) valence = special;
  }
  if (context.count - 1 > i + 1) {
    const zeroOneTwo = phrase(context, i, i + 2);
    const special = zeroOneTwo === null ? undefined : SPECIAL_CASES.get(zeroOneTwo);
    if (special !== undefined) valence = special;
  }

  // Two-word dampeners such as "kind of" and "sort of" before the word.
  for (const nGram of [threeTwoOne, threeTwo, twoOne]) {
    const boost = nGram === null ? undefined : BOOSTERS.get(nGram);
    if (boost !== undefined) valence = valence + boost;
  }
  return valence;
}

function leastCheck(context: TokenContext, valence: number, i: number): number {
  const lower = context.lower;
  if (i > 1 && !inLexicon(context, i - 1) && lower[i - 1] === 'least') {
    if (lower[i - 2] !== 'at' && lower[i - 2] !== 'very') return valence * N_SCALAR;
  } else if (i > 0 && !inLexicon(context, i - 1) && lower[i - 1] === 'least') {
    return valence * N_SCALAR;
  }
  return valence;
}
