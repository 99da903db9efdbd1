/**
 * The test oracle for end-to-end runs: the posts that must exist after a stream of Jetstream
 * events, worked out directly from the events. Creates and updates add a post, deletes remove
 * it, and a deleted or taken-down account removes all of its posts.
 */
import { readFileSync } from 'node:fs';

export interface BenchSlice {
  /** The events as JSON lines. */
  lines: string[];
  /** AT-URIs of the posts alive after the last event. */
  alive: Set<string>;
  lastTimeUs: number;
}

interface WireEvent {
  did: string;
  time_us: number;
  kind: string;
  commit?: { operation: string; collection: string; rkey: string };
  account?: { status?: string };
}

export function expectedAlivePosts(lines: readonly string[]): Set<string> {
  const alive = new Set<string>();
  for (const line of lines) {
    const event = JSON.parse(line) as WireEvent;
    if (event.kind === 'commit' && event.commit?.collection === 'app.bsky.feed.post') {
      const uri = `at://${event.did}/app.bsky.feed.post/${event.commit.rkey}`;
      if (event.commit.operation === 'delete') alive.delete(uri);
      else alive.add(uri);
    } else if (event.kind === 'account' && (event.account?.status === 'deleted' || event.account?.status === 'takendown')) {
      for (const uri of alive) if (uri.startsWith(`at://${event.did}/`)) alive.delete(uri);
    }
  }
  return alive;
}

/** Reads the first `count` events of an NDJSON file (all of them when `count` is omitted). */
export function readSlice(path: string, count?: number): BenchSlice {
  const all = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
  const lines = count === undefined ? all : all.slice(0, count);
  const last = JSON.parse(lines[lines.length - 1]!) as WireEvent;
  return { lines, alive: expectedAlivePosts(lines), lastTimeUs: last.time_us };
}
