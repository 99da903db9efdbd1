/**
 * Scoring of a batch's posts before the batch is built. A catch-up batch of thousands of posts
 * goes to a worker thread, so the main thread reads frames, announces committed batches and
 * serves clients meanwhile. Small batches, the usual live case, are scored in place, so their
 * latency has no message round trip. The thread runs the same default scorer, so scores do
 * not depend on where they were computed.
 */
import { rateLimited, type Logger } from '../log/logger.ts';
import { WorkerChannel } from '../runtime/worker-channel.ts';
import type { ScorerSettings } from './default-scorer.ts';
import { cutText, type PostScorer } from './effects.ts';
import type { DecodedEvent } from './jetstream-event.ts';
import { unpackScores, type ScoreReply, type ScoreRequest } from './scoring-protocol.ts';

/**
 * Posts in a batch from which the thread scores them. At the measured scoring rates (over
 * 100,000 texts/s on one core) fewer posts take under a millisecond in place, so the thread
 * would save little.
 */
export const SCORING_THREAD_MIN_POSTS = 100;

// The bundle in dist/ ships the worker as its own file next to server.js.
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./scoring-worker.ts', import.meta.url)
  : new URL('./firehose-scoring-worker.js', import.meta.url);

/** Decides how each batch is scored. */
export interface BatchScoring {
  /** Returns the scorer for the post upserts of `events`, to be called for them in their order. */
  prepare(events: readonly DecodedEvent[]): Promise<PostScorer>;
  close(): Promise<void>;
}

export interface ScoringThreadOptions {
  settings: ScorerSettings;
  /** Scores small batches, and large ones while the thread fails. */
  inline: PostScorer;
  logger: Logger;
  now: () => number;
  minPosts?: number;
}

export interface ScoringThread extends BatchScoring {
  /** Settles once the thread is ready (true) or failed to start (false). */
  readonly started: Promise<boolean>;
}

/** Starts the scoring thread in the background; batches are scored in place until it is ready. */
export function createScoringThread(options: ScoringThreadOptions): ScoringThread {
  const { inline, logger } = options;
  const minPosts = options.minPosts ?? SCORING_THREAD_MIN_POSTS;
  const channel = new WorkerChannel<ScoreRequest, ScoreReply>({ moduleUrl: WORKER_URL, workerData: options.settings, name: 'scoring thread', logger });
  const warnFailure = rateLimited(1, 60_000, options.now);
  let ready = false;
  const started = channel.start().then(
    () => {
      ready = true;
      logger.info({ minPosts }, 'scoring thread started');
      return true;
    },
    (error: unknown) => {
      logger.error({ err: error }, 'the scoring thread did not start; batches are scored on the main thread');
      return false;
    },
  );

  return {
    started,
    async prepare(events) {
      if (!ready) return inline;
      const request: ScoreRequest = { texts: [], langs: [] };
      for (const event of events) {
        if (event.type !== 'post-upsert') continue;
        // Cut as the batch cuts it before scoring in place, so both score the same text.
        request.texts.push(cutText(event.text, options.settings.MAX_TEXT_LENGTH));
        request.langs.push(event.langs);
      }
      if (request.texts.length < minPosts) return inline;
      let sentiments;
      try {
        sentiments = unpackScores(await channel.call(request));
      } catch (error) {
        warnFailure((suppressed) => logger.error({ err: error, suppressed }, 'the scoring thread failed; scoring this batch on the main thread'));
        return inline;
      }
      let next = 0;
      return { score: () => sentiments[next++]! };
    },
    close: () => channel.close(),
  };
}
