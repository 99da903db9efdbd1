/**
 * Reads a Jetstream capture (one JSON event per line) and derives what a benchmark checks
 * against: event counts, the posts that exist after the stream, and the last `time_us`.
 */
import { readFileSync } from 'node:fs';

const POST_COLLECTION = 'app.bsky.feed.post';

interface JetstreamLine {
  did?: string;
  time_us?: number;
  kind?: string;
  commit?: { operation?: string; collection?: string; rkey?: string };
}

/** Counts that a correct service reproduces exactly after ingesting the lines. */
export interface ExpectedCounts {
  events: number;
  creates: number;
  updates: number;
  deletes: number;
  /** Distinct posts created (or upserted by an update) and not deleted afterwards. */
  postsAlive: number;
  firstTimeUs: number;
  lastTimeUs: number;
}

/** Non-empty lines of an NDJSON file, at most `limit` of them. */
export function readEventLines(path: string, limit = Infinity): string[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  return Number.isFinite(limit) ? lines.slice(0, limit) : lines;
}

/** AT-URI of the post a commit event touches, or null for other events. */
export function postUriOf(event: JetstreamLine): string | null {
  const commit = event.commit;
  if (event.kind !== 'commit' || commit?.collection !== POST_COLLECTION || !event.did || !commit.rkey) return null;
  return `at://${event.did}/${POST_COLLECTION}/${commit.rkey}`;
}

export function expectedCounts(lines: readonly string[]): ExpectedCounts {
  const alive = new Set<string>();
  const counts: ExpectedCounts = { events: 0, creates: 0, updates: 0, deletes: 0, postsAlive: 0, firstTimeUs: NaN, lastTimeUs: NaN };
  for (const line of lines) {
    const event = JSON.parse(line) as JetstreamLine;
    counts.events++;
    if (typeof event.time_us === 'number') {
      if (Number.isNaN(counts.firstTimeUs)) counts.firstTimeUs = event.time_us;
      counts.lastTimeUs = event.time_us;
    }
    const uri = postUriOf(event);
    if (!uri) continue;
    switch (event.commit!.operation) {
      case 'create':
        counts.creates++;
        alive.add(uri);
        break;
      case 'update':
        counts.updates++;
        alive.add(uri);
        break;
      case 'delete':
        counts.deletes++;
        alive.delete(uri);
        break;
    }
  }
  counts.postsAlive = alive.size;
  return counts;
}
