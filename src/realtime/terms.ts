/**
 * Tracked terms and feed filters: validation of what clients send, canonical forms, and the
 * Socket.IO room names built from them. Room names are also parsed back, because the ingesting
 * process learns the rooms of other processes only by name.
 */
import type { FeedFilter, TrackRequest } from './protocol.ts';
import type { SentimentLabel } from '../hub/events.ts';
import { SENTIMENT_LABELS } from '../sentiment/types.ts';
import { UNDETERMINED_LANGUAGE, primarySubtag } from '../hub/post-language.ts';

/** Maximum length of a term value, in UTF-16 code units, after trimming. */
export const MAX_TERM_LENGTH = 64;
/** Maximum number of words in one keyword. */
export const MAX_KEYWORD_WORDS = 8;
/** Maximum number of languages in one feed filter. */
export const MAX_FILTER_LANGUAGES = 10;

export const TRACK_ROOM_PREFIX = 'track:';
export const FEED_ROOM_PREFIX = 'feed:';
/** The feed room of clients without a filter. */
export const FEED_ALL_ROOM = 'feed:all';

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

/** A term in canonical form; `term` is what acknowledgements and `tracked` messages carry. */
export interface Term {
  kind: TrackRequest['kind'];
  value: string;
  term: string;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const HASHTAG = /^[\p{L}\p{M}\p{N}_]+$/u;
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const TRACK_KINDS: ReadonlyArray<TrackRequest['kind']> = ['keyword', 'hashtag', 'language'];

/** Lower-cased words of `text`: runs of letters, marks and digits. Punctuation separates words. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** Validates a `track`/`untrack` request and returns the canonical term. */
export function validateTrackRequest(request: unknown): Validated<Term> {
  if (!isPlainObject(request)) return { ok: false, error: `expected an object {kind, value}, got ${describe(request)}` };
  const { kind, value } = request;
  if (typeof kind !== 'string' || !(TRACK_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, error: `kind must be one of ${TRACK_KINDS.join(', ')}` };
  }
  if (typeof value !== 'string') return { ok: false, error: `value must be a string, got ${describe(value)}` };
  // Cheap bound before any normalising work on a hostile multi-megabyte string.
  if (value.length > MAX_TERM_LENGTH * 4) return { ok: false, error: `value must be at most ${MAX_TERM_LENGTH} characters` };
  const canonical = canonicalValue(kind as Term['kind'], value);
  if (!canonical.ok) return canonical;
  return { ok: true, value: { kind: kind as Term['kind'], value: canonical.value, term: `${kind}:${canonical.value}` } };
}

function canonicalValue(kind: Term['kind'], raw: string): Validated<string> {
  const value = raw.trim().replace(/\s+/g, ' ').toLowerCase();
  if (value.length === 0) return { ok: false, error: 'value must not be empty' };
  if (value.length > MAX_TERM_LENGTH) return { ok: false, error: `value must be at most ${MAX_TERM_LENGTH} characters` };
  if (CONTROL.test(value)) return { ok: false, error: 'value must not contain control or invisible formatting characters' };

  switch (kind) {
    case 'keyword': {
      const count = words(value).length;
      if (count === 0) return { ok: false, error: 'a keyword needs at least one letter or digit' };
      if (count > MAX_KEYWORD_WORDS) return { ok: false, error: `a keyword has at most ${MAX_KEYWORD_WORDS} words` };
      return { ok: true, value };
    }
    case 'hashtag': {
      const tag = value.replace(/^#+/, '');
      if (!HASHTAG.test(tag)) return { ok: false, error: 'a hashtag contains only letters, digits and underscores (the leading # is optional)' };
      return { ok: true, value: tag };
    }
    case 'language': {
      const subtag = languageCode(value);
      if (!subtag) return { ok: false, error: 'a language is a two- or three-letter code such as en, ja or pt (or und)' };
      return { ok: true, value: subtag };
    }
  }
}

/** Primary subtag of a language tag such as `pt-BR`, `und`, or null when malformed. */
function languageCode(tag: string): string | null {
  if (tag.length > 35) return null;
  const lower = tag.trim().toLowerCase();
  return lower === UNDETERMINED_LANGUAGE ? lower : primarySubtag(lower);
}

/** Validates a `filter` request and returns it in canonical form (sorted, without duplicates). */
export function validateFeedFilter(filter: unknown): Validated<Required<FeedFilter>> {
  if (!isPlainObject(filter)) return { ok: false, error: `expected an object {labels?, languages?}, got ${describe(filter)}` };
  const labels = filter.labels ?? [];
  const languages = filter.languages ?? [];
  if (!Array.isArray(labels)) return { ok: false, error: `labels must be an array, got ${describe(labels)}` };
  if (!Array.isArray(languages)) return { ok: false, error: `languages must be an array, got ${describe(languages)}` };
  if (labels.length > SENTIMENT_LABELS.length) return { ok: false, error: `labels has at most ${SENTIMENT_LABELS.length} entries` };
  if (languages.length > MAX_FILTER_LANGUAGES) return { ok: false, error: `languages has at most ${MAX_FILTER_LANGUAGES} entries` };

  for (const label of labels) {
    if (!SENTIMENT_LABELS.includes(label)) return { ok: false, error: `labels may contain only ${SENTIMENT_LABELS.join(', ')}` };
  }
  const subtags = new Set<string>();
  for (const language of languages) {
    const subtag = typeof language === 'string' ? languageCode(language) : null;
    if (!subtag) return { ok: false, error: 'languages must be two- or three-letter codes such as en, ja or pt (or und)' };
    subtags.add(subtag);
  }

  // Every label selected is the same as none selected.
  const chosen = SENTIMENT_LABELS.filter((label) => labels.includes(label));
  return {
    ok: true,
    value: { labels: chosen.length === SENTIMENT_LABELS.length ? [] : chosen, languages: [...subtags].sort() },
  };
}

export function trackRoom(term: string): string {
  return TRACK_ROOM_PREFIX + term;
}

/** The term of a track room, validated again, or null for any other room name. */
export function parseTrackRoom(room: string): Term | null {
  if (!room.startsWith(TRACK_ROOM_PREFIX)) return null;
  const term = room.slice(TRACK_ROOM_PREFIX.length);
  const separator = term.indexOf(':');
  if (separator < 0) return null;
  const result = validateTrackRequest({ kind: term.slice(0, separator), value: term.slice(separator + 1) });
  return result.ok && result.value.term === term ? result.value : null;
}

/** Room of a canonical filter: `feed:all`, or such as `feed:labels=negative,positive;langs=en`. */
export function feedRoom(filter: Required<FeedFilter>): string {
  const parts: string[] = [];
  if (filter.labels.length > 0) parts.push(`labels=${filter.labels.join(',')}`);
  if (filter.languages.length > 0) parts.push(`langs=${filter.languages.join(',')}`);
  return parts.length === 0 ? FEED_ALL_ROOM : FEED_ROOM_PREFIX + parts.join(';');
}

/** The filter of a feed room, or null for any other room name. */
export function parseFeedRoom(room: string): Required<FeedFilter> | null {
  if (room === FEED_ALL_ROOM) return { labels: [], languages: [] };
  if (!room.startsWith(FEED_ROOM_PREFIX)) return null;
  const fields: Record<string, string[]> = {};
  for (const part of room.slice(FEED_ROOM_PREFIX.length).split(';')) {
    const [name, list = ''] = part.split('=', 2);
    if (name !== 'labels' && name !== 'langs') return null;
    fields[name] = list.split(',');
  }
  const result = validateFeedFilter({ labels: fields.labels as SentimentLabel[] | undefined, languages: fields.langs });
  return result.ok && feedRoom(result.value) === room ? result.value : null;
}
