/** Entry point of the scoring thread: scores the texts of large batches with the default scorer. */
import { serveRequests } from '../runtime/worker-requests.ts';
import { createDefaultScorer, type ScorerSettings } from './default-scorer.ts';
import { packScores, type ScoreReply, type ScoreRequest } from './scoring-protocol.ts';

await serveRequests<ScorerSettings, ScoreRequest, ScoreReply>(async (settings) => {
  const scorer = createDefaultScorer(settings);
  return {
    handle: ({ texts, langs }) => packScores(texts.map((text, index) => scorer.score(text, langs[index]!))),
    close() {},
  };
});
