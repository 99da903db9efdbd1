/**
 * Builders of Jetstream v1 events for tests, in the wire shape and key order Jetstream sends,
 * plus helpers that turn them into capture events for the replay server.
 */
import { parseCapture, type CaptureEvent } from '../../src/firehose/capture.ts';

export interface PostOptions {
  text?: unknown;
  langs?: unknown;
  createdAt?: string;
  reply?: boolean;
  embedType?: string;
}

/** A post create (or update) event as a JSON line. */
export function postEvent(did: string, rkey: string, timeUs: number, options: PostOptions = {}, operation: 'create' | 'update' = 'create'): string {
  const record: Record<string, unknown> = { $type: 'app.bsky.feed.post', createdAt: options.createdAt ?? '2025-01-01T00:00:00.000Z' };
  if (options.langs !== undefined) record.langs = options.langs;
  if (options.reply) {
    const ref = { cid: 'bafyreiparent', uri: 'at://did:plc:parent/app.bsky.feed.post/3kparent' };
    record.reply = { parent: ref, root: ref };
  }
  if (options.embedType) record.embed = { $type: options.embedType };
  if (options.text !== undefined) record.text = options.text;
  return JSON.stringify({
    did,
    time_us: timeUs,
    kind: 'commit',
    commit: { rev: `rev${timeUs}`, operation, collection: 'app.bsky.feed.post', rkey, record, cid: `bafy${timeUs}` },
  });
}

export function deleteEvent(did: string, rkey: string, timeUs: number): string {
  return JSON.stringify({ did, time_us: timeUs, kind: 'commit', commit: { rev: `rev${timeUs}`, operation: 'delete', collection: 'app.bsky.feed.post', rkey } });
}

export function accountEvent(did: string, timeUs: number, status?: string): string {
  const account: Record<string, unknown> = { active: status === undefined, did, seq: timeUs, time: new Date(timeUs / 1000).toISOString() };
  if (status !== undefined) account.status = status;
  return JSON.stringify({ did, time_us: timeUs, kind: 'account', account });
}

export function identityEvent(did: string, timeUs: number, handle = 'someone.example.com'): string {
  return JSON.stringify({ did, time_us: timeUs, kind: 'identity', identity: { did, handle, seq: timeUs, time: new Date(timeUs / 1000).toISOString() } });
}

/** A DID of the usual `did:plc:` shape, unique per number. */
export function did(number: number): string {
  return `did:plc:test${String(number).padStart(20, '0')}`;
}

/** A record key unique per number. */
export function rkey(number: number): string {
  return `3k${String(number).padStart(11, '0')}`;
}

/** `count` English post creates from distinct authors, `stepUs` apart from `startUs`. */
export function postSeries(count: number, startUs: number, stepUs = 1000, text = 'I love this so much'): string[] {
  return Array.from({ length: count }, (_, index) => postEvent(did(index), rkey(index), startUs + index * stepUs, { text, langs: ['en'] }));
}

/** Capture events for the replay server from JSON lines. */
export function toCapture(lines: readonly string[]): CaptureEvent[] {
  const capture = parseCapture(lines.join('\n'));
  if (capture.skippedLines > 0) throw new Error(`toCapture: ${capture.skippedLines} lines are not events`);
  return capture.events;
}
