/**
 * Types for the untyped `vader-sentiment` package (1.1.3). Its package entry exports only the
 * analyzer class. The word list ships as an ES module under src/.
 */
declare module 'vader-sentiment' {
  export interface VaderScores {
    neg: number;
    neu: number;
    pos: number;
    compound: number;
  }
  export const SentimentIntensityAnalyzer: {
    polarity_scores(text: string): VaderScores;
  };
  const vader: { SentimentIntensityAnalyzer: typeof SentimentIntensityAnalyzer };
  export default vader;
}

declare module 'vader-sentiment/src/vader_lexicon.js' {
  /** Word or emoticon → mean valence (−4..+4) of the VADER lexicon version 2.5. */
  export const lexicon: Readonly<Record<string, number>>;
}
