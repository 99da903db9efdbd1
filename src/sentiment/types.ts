/** VADER's four scores: the neg, neu and pos proportions and the normalised compound. */
export interface SentimentScores {
  neg: number;
  neu: number;
  pos: number;
  compound: number;
}

/** `unscored` marks posts VADER cannot judge: non-English or empty text. */
export type SentimentLabel = 'positive' | 'negative' | 'neutral' | 'unscored';

export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['positive', 'neutral', 'negative', 'unscored'];

export type Sentiment = SentimentScores & { label: SentimentLabel };
