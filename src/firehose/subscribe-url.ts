/** Builds the Jetstream v1 `/subscribe` URL for one connection attempt. */
import { POST_COLLECTION } from './jetstream-event.ts';

export interface SubscribeParameters {
  /** `time_us` of the last event covered by a commit (or already queued), or null to tail live. */
  cursor: number | null;
  /** Seconds subtracted from the cursor, so events another host stamped a little earlier arrive. */
  rewindSeconds: number;
  /** Asks Jetstream to leave out events larger than this many bytes. */
  maxMessageBytes: number;
  /** Asks for zstd-compressed binary frames. */
  compress: boolean;
}

/**
 * Returns `endpoint` with the subscription parameters set. Parameters already in the endpoint
 * URL are kept, except `cursor` and `compress`, which the consumer owns.
 */
export function buildSubscribeUrl(endpoint: string, parameters: SubscribeParameters): string {
  const url = new URL(endpoint);
  const query = url.searchParams;
  if (!query.has('wantedCollections')) query.set('wantedCollections', POST_COLLECTION);
  if (!query.has('maxMessageSizeBytes')) query.set('maxMessageSizeBytes', String(parameters.maxMessageBytes));

  query.delete('cursor');
  if (parameters.cursor !== null) {
    const rewound = parameters.cursor - parameters.rewindSeconds * 1_000_000;
    query.set('cursor', String(Math.max(1, rewound)));
  }

  query.delete('compress');
  if (parameters.compress) query.set('compress', 'true');
  return url.toString();
}
