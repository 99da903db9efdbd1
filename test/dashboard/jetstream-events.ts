/**
 * Jetstream v1 events for the dashboard tests: the real sample capture moved to the present,
 * and hand-made post, delete and identity events sent through the replay server.
 */
import { readFileSync } from 'node:fs';

const BASE32_SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';

export interface PostEvent {
  /** The event as one NDJSON line. */
  line: string;
  uri: string;
  did: string;
  rkey: string;
}

export interface PostFields {
  text: string;
  langs?: string[];
  facets?: unknown[];
  /** Author; a fresh DID when omitted. */
  did?: string;
}

/**
 * Moves every event of a capture so the last one is at `endUs` and events are `stepUs` apart,
 * keeping their order. Replayed at full speed, the whole capture then lands in the recent past,
 * where the dashboard's last-hour charts and relative times look for it.
 */
export function shiftCapture(path: string, endUs: number, stepUs: number): string[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.map((line, index) => {
    const timeUs = endUs - (lines.length - 1 - index) * stepUs;
    const shifted = line.replace(/"time_us":\d+/, `"time_us":${timeUs}`);
    if (shifted === line) throw new Error(`Capture line ${index + 1} of ${path} has no "time_us" to shift.`);
    return shifted;
  });
}

/** Makes events with increasing `time_us` at or after the current time. */
export class EventFactory {
  private lastUs = 0;
  private counter = 0;

  /** Returns a `time_us` later than every one handed out before and not earlier than now. */
  nextTimeUs(): number {
    this.lastUs = Math.max(this.lastUs + 1000, Date.now() * 1000);
    return this.lastUs;
  }

  /** Returns a syntactically valid did:plc with a recognisable prefix. */
  newDid(): string {
    this.counter += 1;
    return `did:plc:dashtest${encodeBase32(this.counter, 16)}`;
  }

  post({ text, langs = ['en'], facets, did = this.newDid() }: PostFields): PostEvent {
    const timeUs = this.nextTimeUs();
    const rkey = encodeBase32(timeUs, 13);
    const record: Record<string, unknown> = {
      $type: 'app.bsky.feed.post',
      text,
      langs,
      createdAt: new Date(timeUs / 1000).toISOString(),
    };
    if (facets) record.facets = facets;
    const event = {
      did,
      time_us: timeUs,
      kind: 'commit',
      commit: {
        rev: rkey,
        operation: 'create',
        collection: 'app.bsky.feed.post',
        rkey,
        record,
        cid: `bafyreidashtest${rkey}`,
      },
    };
    return { line: JSON.stringify(event), uri: `at://${did}/app.bsky.feed.post/${rkey}`, did, rkey };
  }

  /** Builds an edit of `post` that replaces its text. */
  update(post: PostEvent, text: string): string {
    const timeUs = this.nextTimeUs();
    const record = { $type: 'app.bsky.feed.post', text, langs: ['en'], createdAt: new Date(timeUs / 1000).toISOString() };
    return JSON.stringify({
      did: post.did,
      time_us: timeUs,
      kind: 'commit',
      commit: {
        rev: encodeBase32(timeUs, 13),
        operation: 'update',
        collection: 'app.bsky.feed.post',
        rkey: post.rkey,
        record,
        cid: `bafyreidashtestedit${encodeBase32(timeUs, 13)}`,
      },
    });
  }

  deletion(post: PostEvent): string {
    const timeUs = this.nextTimeUs();
    return JSON.stringify({
      did: post.did,
      time_us: timeUs,
      kind: 'commit',
      commit: { rev: encodeBase32(timeUs, 13), operation: 'delete', collection: 'app.bsky.feed.post', rkey: post.rkey },
    });
  }

  identity(did: string, handle: string): string {
    const timeUs = this.nextTimeUs();
    return JSON.stringify({
      did,
      time_us: timeUs,
      kind: 'identity',
      identity: { did, handle, seq: this.counter, time: new Date(timeUs / 1000).toISOString() },
    });
  }
}

/** Writes `value` in base32-sortable digits (the alphabet of AT Protocol TIDs), left-padded. */
function encodeBase32(value: number, length: number): string {
  let text = '';
  let rest = Math.floor(value);
  while (rest > 0) {
    text = BASE32_SORTABLE[rest % 32] + text;
    rest = Math.floor(rest / 32);
  }
  return text.padStart(length, '2').slice(-length);
}
