/**
 * Validation of one Jetstream v1 event (already parsed from JSON) into what the consumer acts
 * on. Upstream input is untrusted: every field used is checked, and anything unusable becomes
 * a `dropped` result with a reason instead of an exception.
 *
 * Wire shape: envelope `{did, time_us, kind}` plus `commit {rev, operation, collection, rkey,
 * record?, cid?}`, `identity {…}` or `account {active, did, seq, time, status?}`.
 */

export const POST_COLLECTION = 'app.bsky.feed.post';

/** Account statuses after which the account's posts are removed from the store. */
const REMOVING_STATUSES = new Set(['deleted', 'takendown']);

const QUOTE_EMBEDS = new Set(['app.bsky.embed.record', 'app.bsky.embed.recordWithMedia']);

// DID syntax from the atproto spec (method, then method-specific id), bounded at 2048 characters.
const DID_PATTERN = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;
// Record key syntax from the atproto spec: 1 to 512 characters, not "." or "..".
const RKEY_PATTERN = /^[a-zA-Z0-9._:~-]{1,512}$/;
// BCP 47 shape: a primary subtag, then subtags of up to 8 letters or digits.
const LANGUAGE_TAG_PATTERN = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
/** The post lexicon allows at most 3 `langs` entries. */
const MAX_LANGS = 3;

export type DropReason =
  | 'malformed-json'
  | 'binary-frame'
  | 'decompress-failed'
  | 'oversized'
  | 'invalid-envelope'
  | 'invalid-commit'
  | 'invalid-record'
  | 'missing-text'
  | 'invalid-text'
  | 'invalid-account';

export type IgnoreReason = 'identity' | 'account-status' | 'other-collection' | 'unknown-kind' | 'unknown-operation';

/** A post create or update with its validated fields; `text` is not yet cut to length. */
export interface PostUpsertEvent {
  type: 'post-upsert';
  operation: 'create' | 'update';
  did: string;
  rkey: string;
  timeUs: number;
  text: string;
  langs: string[];
  createdAt: string | null;
  isReply: boolean;
  isQuote: boolean;
}

export type DecodedEvent =
  | PostUpsertEvent
  | { type: 'post-delete'; did: string; rkey: string; timeUs: number }
  | { type: 'account-removed'; did: string; status: string; timeUs: number }
  | { type: 'ignored'; reason: IgnoreReason; timeUs: number }
  | { type: 'dropped'; reason: DropReason; timeUs: number | null; did?: string; rkey?: string };

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` is a usable DID string. */
export function isDid(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 2048 && DID_PATTERN.test(value);
}

function isRecordKey(value: unknown): value is string {
  return typeof value === 'string' && RKEY_PATTERN.test(value) && value !== '.' && value !== '..';
}

/** Whether `value` is a Jetstream `time_us`: a positive integer number of microseconds. */
export function isTimeUs(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** Validates a parsed Jetstream event. */
export function decodeEvent(value: unknown): DecodedEvent {
  if (!isObject(value)) return { type: 'dropped', reason: 'invalid-envelope', timeUs: null };
  const { did, time_us: timeUs, kind } = value;
  if (!isTimeUs(timeUs)) return { type: 'dropped', reason: 'invalid-envelope', timeUs: null, did: typeof did === 'string' ? did : undefined };
  if (!isDid(did)) return { type: 'dropped', reason: 'invalid-envelope', timeUs };

  switch (kind) {
    case 'commit':
      return decodeCommit(did, timeUs, value.commit);
    case 'identity':
      return { type: 'ignored', reason: 'identity', timeUs };
    case 'account':
      return decodeAccount(did, timeUs, value.account);
    default:
      // Older Jetstream builds and future kinds: nothing to do, but the cursor moves past them.
      return { type: 'ignored', reason: 'unknown-kind', timeUs };
  }
}

function decodeAccount(did: string, timeUs: number, account: unknown): DecodedEvent {
  if (!isObject(account)) return { type: 'dropped', reason: 'invalid-account', timeUs, did };
  const { status } = account;
  if (status !== undefined && typeof status !== 'string') return { type: 'dropped', reason: 'invalid-account', timeUs, did };
  if (typeof status === 'string' && REMOVING_STATUSES.has(status)) return { type: 'account-removed', did, status, timeUs };
  return { type: 'ignored', reason: 'account-status', timeUs };
}

function decodeCommit(did: string, timeUs: number, commit: unknown): DecodedEvent {
  if (!isObject(commit)) return { type: 'dropped', reason: 'invalid-commit', timeUs, did };
  const { operation, collection, rkey } = commit;
  if (typeof collection !== 'string' || typeof operation !== 'string') return { type: 'dropped', reason: 'invalid-commit', timeUs, did };
  if (collection !== POST_COLLECTION) return { type: 'ignored', reason: 'other-collection', timeUs };
  if (!isRecordKey(rkey)) return { type: 'dropped', reason: 'invalid-commit', timeUs, did };

  switch (operation) {
    case 'delete':
      return { type: 'post-delete', did, rkey, timeUs };
    case 'create':
    case 'update':
      return decodePostRecord(operation, did, rkey, timeUs, commit.record);
    default:
      return { type: 'ignored', reason: 'unknown-operation', timeUs };
  }
}

function decodePostRecord(operation: 'create' | 'update', did: string, rkey: string, timeUs: number, record: unknown): DecodedEvent {
  if (!isObject(record)) return { type: 'dropped', reason: 'invalid-record', timeUs, did, rkey };
  if (record.text === undefined) return { type: 'dropped', reason: 'missing-text', timeUs, did, rkey };
  if (typeof record.text !== 'string') return { type: 'dropped', reason: 'invalid-text', timeUs, did, rkey };

  const embedType = isObject(record.embed) ? record.embed.$type : undefined;
  return {
    type: 'post-upsert',
    operation,
    did,
    rkey,
    timeUs,
    text: record.text,
    langs: validLanguageTags(record.langs),
    createdAt: typeof record.createdAt === 'string' && record.createdAt.length <= 64 ? record.createdAt : null,
    isReply: isObject(record.reply),
    isQuote: typeof embedType === 'string' && QUOTE_EMBEDS.has(embedType),
  };
}

/** Keeps the well-formed language tags of a `langs` value; anything else counts as none. */
function validLanguageTags(langs: unknown): string[] {
  if (!Array.isArray(langs)) return [];
  const valid: string[] = [];
  for (const tag of langs) {
    if (typeof tag === 'string' && tag.length <= 35 && LANGUAGE_TAG_PATTERN.test(tag)) valid.push(tag);
    if (valid.length === MAX_LANGS) break;
  }
  return valid;
}
