/**
 * Constants and word lists of the VADER algorithm as the reference implementation
 * (Python vaderSentiment 3.3.2) defines them. Hutto and Gilbert, "VADER: A Parsimonious
 * Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM 2014, derived the
 * numeric constants empirically.
 */

/** Valence added by a booster word ("very good"). */
export const B_INCR = 0.293;
/** Valence added by a dampener word ("slightly good"); negative. */
export const B_DECR = -0.293;
/** Valence added to an ALL-CAPS word when the text also has words that are not all caps. */
export const C_INCR = 0.733;
/** Factor applied to a negated valence ("not good"). */
export const N_SCALAR = -0.74;
/** Constant of the compound normalisation `x / sqrt(x * x + alpha)`. */
export const NORMALIZE_ALPHA = 15;

/** Emphasis added per `!` in the text, counted up to EXCLAMATION_MAX_COUNT. */
export const EXCLAMATION_WEIGHT = 0.292;
export const EXCLAMATION_MAX_COUNT = 4;
/** Emphasis added per `?` when the text has two or three of them. */
export const QUESTION_WEIGHT = 0.18;
/** Emphasis used when the text has more than three `?`. */
export const QUESTION_MAX_EMPHASIS = 0.96;

/** Factors applied to valences before and after the first "but" of a text. */
export const BEFORE_BUT_FACTOR = 0.5;
export const AFTER_BUT_FACTOR = 1.5;

/** Factor for "never so good" and "never this good". */
export const NEVER_SO_FACTOR = 1.25;

/** Dampening of a booster two and three words before the sentiment word. */
export const BOOSTER_DISTANCE_2_FACTOR = 0.95;
export const BOOSTER_DISTANCE_3_FACTOR = 0.9;

/**
 * Words that negate a sentiment word up to three words later. Any word containing "n't"
 * negates as well.
 */
export const NEGATION_WORDS: ReadonlySet<string> = new Set([
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt',
  "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
  'dont', 'hadnt', 'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt', 'neither',
  "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
  'neednt', "needn't", 'never', 'none', 'nope', 'nor', 'not', 'nothing', 'nowhere',
  'oughtnt', 'shant', 'shouldnt', 'uhuh', 'wasnt', 'werent',
  "oughtn't", "shan't", "shouldn't", 'uh-uh', "wasn't", "weren't",
  'without', 'wont', 'wouldnt', "won't", "wouldn't", 'rarely', 'seldom', 'despite',
]);

const BOOSTER_WORDS = [
  'absolutely', 'amazingly', 'awfully', 'completely', 'considerable', 'considerably',
  'decidedly', 'deeply', 'effing', 'enormous', 'enormously', 'entirely', 'especially',
  'exceptional', 'exceptionally', 'extreme', 'extremely', 'fabulously', 'flipping', 'flippin',
  'frackin', 'fracking', 'fricking', 'frickin', 'frigging', 'friggin', 'fully', 'fuckin',
  'fucking', 'fuggin', 'fugging', 'greatly', 'hella', 'highly', 'hugely', 'incredible',
  'incredibly', 'intensely', 'major', 'majorly', 'more', 'most', 'particularly', 'purely',
  'quite', 'really', 'remarkably', 'so', 'substantially', 'thoroughly', 'total', 'totally',
  'tremendous', 'tremendously', 'uber', 'unbelievably', 'unusually', 'utter', 'utterly', 'very',
];

const DAMPENER_WORDS = [
  'almost', 'barely', 'hardly', 'just enough', 'kind of', 'kinda', 'kindof', 'kind-of', 'less',
  'little', 'marginal', 'marginally', 'occasional', 'occasionally', 'partly', 'scarce',
  'scarcely', 'slight', 'slightly', 'somewhat', 'sort of', 'sorta', 'sortof', 'sort-of',
];

/**
 * Degree modifiers and the valence they add. The two-word entries ("kind of", "sort of",
 * "just enough") only match the word pairs that the idiom check builds, never one token.
 */
export const BOOSTERS: ReadonlyMap<string, number> = new Map([
  ...BOOSTER_WORDS.map((word): [string, number] => [word, B_INCR]),
  ...DAMPENER_WORDS.map((word): [string, number] => [word, B_DECR]),
]);

/**
 * Phrases whose valence replaces the one of their sentiment word. The reference looks them
 * up only for a sentiment word with at least three words before it, and only in word groups
 * that start or end at that word. So "broken heart" at the start of a text, and "to die for"
 * anywhere, keep the valence of their words.
 */
export const SPECIAL_CASES: ReadonlyMap<string, number> = new Map([
  ['the shit', 3],
  ['the bomb', 3],
  ['bad ass', 1.5],
  ['badass', 1.5],
  ['bus stop', 0.0],
  ['yeah right', -2],
  ['kiss of death', -1.5],
  ['to die for', 3],
  ['beating heart', 3.1],
  ['broken heart', -2.9],
]);

/** Every word that occurs in a multi-word SPECIAL_CASES or BOOSTERS key. */
export const PHRASE_WORDS: ReadonlySet<string> = new Set(
  [...SPECIAL_CASES.keys(), ...BOOSTERS.keys()]
    .filter((key) => key.includes(' '))
    .flatMap((key) => key.split(' ')),
);
