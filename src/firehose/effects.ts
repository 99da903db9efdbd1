/** Turns validated events into the effects the store commits, scoring post texts on the way. */
import type { IngestEffect, PostRecord, Sentiment } from '../hub/events.ts';
import { POST_COLLECTION, type DecodedEvent, type PostUpsertEvent } from './jetstream-event.ts';

/** Scores one post text given the author's language tags. */
export interface PostScorer {
  score(text: string, langs: readonly string[]): Sentiment;
}

/** AT-URI of a post: `at://<did>/app.bsky.feed.post/<rkey>`. */
export function postUri(did: string, rkey: string): string {
  return `at://${did}/${POST_COLLECTION}/${rkey}`;
}

/**
 * Cuts `text` to at most `maxLength` UTF-16 code units without splitting a surrogate pair, so
 * the stored text stays valid Unicode.
 */
export function cutText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = maxLength;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** Builds the stored post of a create or update; the text is cut before it is scored. */
export function toPostRecord(event: PostUpsertEvent, scorer: PostScorer, maxTextLength: number): PostRecord {
  const text = cutText(event.text, maxTextLength);
  return {
    uri: postUri(event.did, event.rkey),
    did: event.did,
    rkey: event.rkey,
    text,
    langs: event.langs,
    createdAt: event.createdAt,
    indexedAt: new Date(Math.floor(event.timeUs / 1000)).toISOString(),
    timeUs: event.timeUs,
    isReply: event.isReply,
    isQuote: event.isQuote,
    sentiment: scorer.score(text, event.langs),
  };
}

/** Returns the effect of one event, or null for ignored and dropped events, which only move the cursor. */
export function toEffect(event: DecodedEvent, scorer: PostScorer, maxTextLength: number): IngestEffect | null {
  switch (event.type) {
    case 'post-upsert':
      return { kind: 'upsert', operation: event.operation, post: toPostRecord(event, scorer, maxTextLength) };
    case 'post-delete':
      return { kind: 'delete', uri: postUri(event.did, event.rkey), did: event.did, timeUs: event.timeUs };
    case 'account-removed':
      return { kind: 'account-removed', did: event.did, status: event.status, timeUs: event.timeUs };
    default:
      return null;
  }
}
