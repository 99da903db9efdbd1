/**
 * Keyword, hashtag and language tracking: the add form, one card per term, the list of terms in
 * the address, and subscriptions on the server. The server drops subscriptions with the socket,
 * so the page sends them again after a reconnect that lost them.
 */
import type { Post, StatsSnapshot } from '../../src/hub/events.ts';
import type { SessionMessage, TrackRequest, TrackedBatchMessage } from '../../src/realtime/protocol.ts';
import type { ApiClient, PostsRequest } from './api.ts';
import type { Connection } from './connection.ts';
import { byId, setText } from './dom.ts';
import { labelShares, meanCompound } from './sentiment.ts';
import { TrackedCard, describeTerm, type GlobalFigures } from './tracked-card.ts';
import { MAX_TERM_LENGTH, TRACK_KINDS, termKey } from './url-state.ts';

const HISTORY_LIMIT = 40;
/** Time to wait for the server's `session` message after a connect before subscribing anyway. */
const SESSION_WAIT_MS = 2_000;

/** State of a term's subscription on the server; `none` after the socket was lost. */
type Subscription = 'pending' | 'live' | 'failed' | 'none';

const HASHTAG = /^[\p{L}\p{M}\p{N}_]+$/u;

/**
 * Normalises what the reader typed the way the server does (trimmed, lower case, hashtags
 * without `#`), so the page's key for a term equals the server's. Returns the request, or a
 * message saying what to fix. The server validates again and decides.
 */
export function normaliseTerm(kind: string, raw: string): TrackRequest | string {
  if (!(TRACK_KINDS as readonly string[]).includes(kind)) return `Unknown kind "${kind}".`;
  let value = raw.trim().replace(/\s+/g, ' ').toLowerCase();
  if (kind === 'hashtag') value = value.replace(/^#+/, '');
  if (value === '') return 'Type a term to track.';
  if (value.length > MAX_TERM_LENGTH) return `Use at most ${MAX_TERM_LENGTH} characters.`;
  if (kind === 'hashtag' && !HASHTAG.test(value)) return 'A hashtag contains only letters, digits and underscores.';
  if (kind === 'language' && !/^[a-z]{2,3}$/.test(value)) return 'Use a two- or three-letter language code such as en, ja or pt (und for none).';
  return { kind: kind as TrackRequest['kind'], value };
}

/** Tests whether `text` contains `#tag` as a whole hashtag, as the server matches it. */
export function hasHashtag(text: string, tag: string): boolean {
  const escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[^\\p{L}\\p{M}\\p{N}_&])#${escaped}(?![\\p{L}\\p{M}\\p{N}_])`, 'iu').test(text);
}

export class Tracking {
  private readonly form = byId('track-form', HTMLFormElement);
  private readonly kindSelect = byId('track-kind', HTMLSelectElement);
  private readonly valueInput = byId('track-value', HTMLInputElement);
  private readonly error = byId('track-error', HTMLElement);
  private readonly container = byId('tracked', HTMLElement);
  private readonly empty = byId('tracked-empty', HTMLElement);
  /** Cards by the page's term key, in the order they were added. */
  private readonly cards = new Map<string, TrackedCard>();
  /** The server's name for each term, as it labels `tracked` messages, to the page's key. */
  private readonly serverTerms = new Map<string, string>();
  private readonly subscriptions = new Map<string, Subscription>();
  /** Terms the server accepts per client, from its `session` message. */
  private maxTerms: number | null = null;
  private global: GlobalFigures | null = null;
  private changeListener: (terms: TrackRequest[]) => void = () => {};

  private readonly api: ApiClient;
  private readonly connection: Connection;

  constructor(api: ApiClient, connection: Connection) {
    this.api = api;
    this.connection = connection;
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const result = normaliseTerm(this.kindSelect.value, this.valueInput.value);
      if (typeof result === 'string') {
        this.showError(result);
        return;
      }
      if (this.cards.has(termKey(result))) {
        this.showError(`${describeTerm(result)} is tracked already.`);
        return;
      }
      if (this.maxTerms !== null && this.cards.size >= this.maxTerms) {
        this.showError(`This server allows ${this.maxTerms} tracked terms per page; stop one first.`);
        return;
      }
      this.showError('');
      this.valueInput.value = '';
      this.add(result);
    });
    this.kindSelect.addEventListener('change', () => {
      this.valueInput.placeholder = { keyword: 'climate', hashtag: 'art', language: 'ja' }[this.kindSelect.value] ?? '';
    });
    connection.onStatus((status) => {
      if (status.state === 'connected') return;
      for (const [key, state] of this.subscriptions) {
        if (state === 'live') this.setSubscription(key, 'none');
      }
    });
    // The server lists the terms it kept in its `session` message. This timer covers a server
    // that never sends one.
    connection.onConnect(() => {
      window.setTimeout(() => this.resubscribe(new Set()), SESSION_WAIT_MS);
    });
  }

  /** Applies the server's view after a connect: terms it kept are live, others are sent again. */
  applySession(session: SessionMessage): void {
    if (Number.isInteger(session?.limits?.maxTerms)) this.maxTerms = session.limits.maxTerms;
    this.resubscribe(new Set(Array.isArray(session?.terms) ? session.terms : []));
  }

  private resubscribe(keptTerms: Set<string>): void {
    for (const [key, card] of this.cards) {
      if (this.subscriptions.get(key) !== 'none') continue;
      if (keptTerms.has(key)) {
        this.serverTerms.set(key, key);
        this.setSubscription(key, 'live');
      } else {
        void this.subscribe(card);
      }
    }
  }

  private setSubscription(key: string, state: Subscription, detail = ''): void {
    this.subscriptions.set(key, state);
    const card = this.cards.get(key);
    if (!card) return;
    if (state === 'pending') card.setState('subscribing\u2026');
    else if (state === 'live') card.setState('live');
    else if (state === 'none') card.setState('reconnecting\u2026');
    else card.setState(`not tracked: ${detail}`, true);
  }

  onChange(listener: (terms: TrackRequest[]) => void): void {
    this.changeListener = listener;
  }

  get terms(): TrackRequest[] {
    return [...this.cards.values()].map((card) => card.request);
  }

  add(request: TrackRequest): void {
    const key = termKey(request);
    if (this.cards.has(key)) return;
    const card = new TrackedCard(request, Date.now());
    card.removeButton.addEventListener('click', () => this.remove(key));
    this.cards.set(key, card);
    this.container.append(card.element);
    this.empty.hidden = true;
    card.render(Date.now(), this.global);
    this.changeListener(this.terms);

    void this.subscribe(card);
    void this.loadHistory(card);
  }

  remove(key: string): void {
    const card = this.cards.get(key);
    if (!card) return;
    this.cards.delete(key);
    this.subscriptions.delete(key);
    for (const [serverTerm, pageKey] of this.serverTerms) if (pageKey === key) this.serverTerms.delete(serverTerm);
    card.element.remove();
    this.empty.hidden = this.cards.size > 0;
    this.changeListener(this.terms);
    void this.connection.untrack(card.request);
    this.valueInput.focus();
  }

  /** Routes a `tracked` batch (posts already checked) to its card. */
  receive(message: TrackedBatchMessage, posts: readonly Post[]): void {
    const key = this.serverTerms.get(message.term) ?? message.term;
    const total = typeof message.total === 'number' ? message.total : posts.length;
    this.cards.get(key)?.push(posts, total);
  }

  updatePosts(posts: readonly Post[]): void {
    for (const card of this.cards.values()) card.update(posts);
  }

  removePosts(uris: readonly string[]): void {
    for (const card of this.cards.values()) card.remove(uris);
  }

  /** Redraws every card's figures; called once a second with the latest snapshot. */
  render(snapshot: StatsSnapshot | null): void {
    if (snapshot) {
      const hour = snapshot.windows.hour;
      const shares = labelShares(hour.labels);
      this.global = {
        perMinute: snapshot.rates.postsPerSecond * 60,
        meanCompound: meanCompound(hour),
        positive: shares.positive,
        negative: shares.negative,
      };
    }
    const now = Date.now();
    for (const card of this.cards.values()) card.render(now, this.global);
  }

  private async subscribe(card: TrackedCard): Promise<void> {
    const key = termKey(card.request);
    this.setSubscription(key, 'pending');
    const result = await this.connection.track(card.request);
    if (this.cards.get(key) !== card) return;
    if (!result.ok) {
      // Without a connection the request may never have arrived; the next session retries it.
      const connected = this.connection.status().state === 'connected';
      this.setSubscription(key, connected ? 'failed' : 'none', result.error);
      return;
    }
    this.serverTerms.set(result.term, key);
    // A disconnect while the request was out leaves the server without the term.
    this.setSubscription(key, this.connection.status().state === 'connected' ? 'live' : 'none');
  }

  private async loadHistory(card: TrackedCard): Promise<void> {
    const { kind, value } = card.request;
    const request: PostsRequest = { limit: HISTORY_LIMIT };
    // NOTE: the API has no hashtag filter. A keyword search finds the word with or without `#`,
    // and the check below keeps real hashtags, so older hashtag posts beyond the limit are missed.
    if (kind === 'language') request.language = value;
    else request.keyword = value;
    try {
      let posts = await this.api.posts(request);
      if (kind === 'hashtag') posts = posts.filter((post) => hasHashtag(post.text, value));
      if (this.cards.get(termKey(card.request)) === card) card.fill(posts);
    } catch (error) {
      console.error(error);
    }
  }

  private showError(message: string): void {
    setText(this.error, message);
    this.valueInput.setAttribute('aria-invalid', String(message !== ''));
    if (message) this.valueInput.focus();
  }
}
