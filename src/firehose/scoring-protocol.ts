/**
 * Messages between the batcher and the scoring thread: the texts and language tags of a batch's
 * posts, and their scores packed into typed arrays, which a message copies in one piece
 * instead of object by object.
 */
import type { Sentiment } from '../hub/events.ts';
import { SENTIMENT_LABELS } from '../sentiment/types.ts';

export interface ScoreRequest {
  texts: string[];
  langs: string[][];
}

export interface ScoreReply {
  /** Scores of each post as four numbers: neg, neu, pos and compound. */
  scores: Float64Array;
  /** Index of each post's label in SENTIMENT_LABELS. */
  labels: Uint8Array;
}

export function packScores(sentiments: readonly Sentiment[]): ScoreReply {
  const scores = new Float64Array(sentiments.length * 4);
  const labels = new Uint8Array(sentiments.length);
  sentiments.forEach((sentiment, index) => {
    scores.set([sentiment.neg, sentiment.neu, sentiment.pos, sentiment.compound], index * 4);
    labels[index] = SENTIMENT_LABELS.indexOf(sentiment.label);
  });
  return { scores, labels };
}

export function unpackScores({ scores, labels }: ScoreReply): Sentiment[] {
  const sentiments: Sentiment[] = new Array(labels.length);
  for (let index = 0; index < labels.length; index += 1) {
    const at = index * 4;
    sentiments[index] = { neg: scores[at]!, neu: scores[at + 1]!, pos: scores[at + 2]!, compound: scores[at + 3]!, label: SENTIMENT_LABELS[labels[index]!]! };
  }
  return sentiments;
}
