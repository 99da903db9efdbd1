/**
 * The page state kept in the address, so a reload or a shared link shows the same view:
 * `track=keyword:climate` (repeatable), `label=positive` (repeatable) and `lang=ja`.
 * Other parameters, such as `token`, are left as they are.
 */
import type { TrackRequest } from '../../src/realtime/protocol.ts';
import { isLabel, type SentimentLabel } from './sentiment.ts';

export const TRACK_KINDS: ReadonlyArray<TrackRequest['kind']> = ['keyword', 'hashtag', 'language'];
/** Maximum length of a term value from the address or the form, as on the server. */
export const MAX_TERM_LENGTH = 64;

export interface UrlState {
  tracked: TrackRequest[];
  labels: SentimentLabel[];
  language: string | null;
}

/** Canonical text of a term, such as `keyword:climate`; the server names rooms the same way. */
export function termKey(request: TrackRequest): string {
  return `${request.kind}:${request.value}`;
}

/** Parses `kind:value`; returns null when the kind is unknown or the value is empty or too long. */
export function parseTerm(text: string): TrackRequest | null {
  const separator = text.indexOf(':');
  if (separator < 0) return null;
  const kind = text.slice(0, separator) as TrackRequest['kind'];
  const value = text.slice(separator + 1).trim();
  if (!TRACK_KINDS.includes(kind) || value === '' || value.length > MAX_TERM_LENGTH) return null;
  return { kind, value };
}

export function readUrlState(location: Location = window.location): UrlState {
  const params = new URLSearchParams(location.search);
  const tracked: TrackRequest[] = [];
  const seen = new Set<string>();
  for (const text of params.getAll('track')) {
    const term = parseTerm(text);
    if (!term || seen.has(termKey(term))) continue;
    seen.add(termKey(term));
    tracked.push(term);
  }
  const labels = [...new Set(params.getAll('label').filter(isLabel))];
  const language = params.get('lang')?.trim() || null;
  return { tracked, labels, language };
}

/** Writes `state` into the address without adding a history entry. */
export function writeUrlState(state: UrlState): void {
  const url = new URL(window.location.href);
  for (const name of ['track', 'label', 'lang']) url.searchParams.delete(name);
  for (const term of state.tracked) url.searchParams.append('track', termKey(term));
  for (const label of state.labels) url.searchParams.append('label', label);
  if (state.language) url.searchParams.set('lang', state.language);
  if (url.href !== window.location.href) window.history.replaceState(null, '', url);
}

/** Reads the page's access token from `?token=`, for the API and the Socket.IO handshake. */
export function readToken(location: Location = window.location): string | null {
  return new URLSearchParams(location.search).get('token') || null;
}
