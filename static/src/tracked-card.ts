/**
 * The panel of one tracked term: its own volume, sentiment and live feed, with the figures of
 * all posts beside them for comparison.
 */
import type { Post } from '../../src/hub/events.ts';
import type { TrackRequest } from '../../src/realtime/protocol.ts';
import { h, setText, setValue } from './dom.ts';
import { Feed } from './feed.ts';
import { formatCompound, formatPerMinute, formatShare, languageName } from './format.ts';
import { labelShares } from './sentiment.ts';
import { TermStats } from './term-stats.ts';

const FEED_CAPACITY = 60;
const SPARK_MINUTES = 30;
/** Delay before figures follow new posts, so a burst of batches redraws them once. */
const RENDER_DELAY_MS = 300;

/** Figures of all posts that each card compares its term against. */
export interface GlobalFigures {
  perMinute: number;
  meanCompound: number | null;
  positive: number | null;
  negative: number | null;
}

type FigureName = 'rate' | 'positive' | 'negative' | 'compound';

export function describeTerm(request: TrackRequest): string {
  switch (request.kind) {
    case 'keyword':
      return `\u201C${request.value}\u201D`;
    case 'hashtag':
      return `#${request.value}`;
    case 'language':
      return `${languageName(request.value)} (${request.value})`;
  }
}

export class TrackedCard {
  readonly element: HTMLElement;
  readonly removeButton: HTMLButtonElement;
  private readonly feed: Feed;
  private readonly stats: TermStats;
  private readonly state: HTMLElement;
  private readonly figures: Record<FigureName, HTMLElement>;
  /** The same figure for all posts, shown in brackets. */
  private readonly compare: Record<FigureName, HTMLElement>;
  private readonly spark: HTMLElement;
  private global: GlobalFigures | null = null;
  private renderTimer: number | undefined;

  readonly request: TrackRequest;

  constructor(request: TrackRequest, startedAt: number) {
    this.request = request;
    const name = describeTerm(request);
    this.stats = new TermStats(startedAt);
    this.feed = new Feed({ label: `Posts matching ${request.kind} ${name}`, capacity: FEED_CAPACITY, emptyText: 'No matching posts yet.' });
    this.removeButton = h('button', {
      className: 'button button--quiet',
      text: 'Stop',
      attrs: { type: 'button', 'aria-label': `Stop tracking ${request.kind} ${name}` },
    });
    this.state = h('span', { className: 'tracked__state', text: 'subscribing\u2026' });

    const figure = (title: string) => {
      const value = h('span', { className: 'tracked__value', text: '\u2013' });
      const compare = h('span', { className: 'tracked__compare' });
      const element = h('div', { className: 'tracked__figure' }, h('dt', { text: title }), h('dd', {}, value, compare));
      return { element, value, compare };
    };
    const rate = figure('Posts / min');
    const positive = figure('Positive');
    const negative = figure('Negative');
    const compound = figure('Compound');
    compound.element.title = 'Mean VADER compound score of scored posts';
    this.figures = { rate: rate.value, positive: positive.value, negative: negative.value, compound: compound.value };
    this.compare = { rate: rate.compare, positive: positive.compare, negative: negative.compare, compound: compound.compare };
    this.spark = h('div', { className: 'spark', attrs: { 'aria-hidden': 'true' } });

    const title = h(
      'h3',
      { className: 'tracked__title' },
      h('span', { className: 'tracked__kind', text: request.kind }),
      ' ',
      h('bdi', { text: name }),
    );
    this.element = h(
      'article',
      { className: 'tracked panel' },
      h('div', { className: 'tracked__head' }, title, this.state, this.removeButton),
      h('dl', { className: 'tracked__figures' }, rate.element, positive.element, negative.element, compound.element),
      this.spark,
      h('p', { className: 'panel__note', text: 'Last hour of this term, beside all posts. Sentiment comes from the posts shown to this page.' }),
      this.feed.element,
    );
  }

  setState(text: string, failed = false): void {
    setText(this.state, text);
    this.element.classList.toggle('tracked--failed', failed);
  }

  /** Fills the card from stored posts, newest first as the API returns them. */
  fill(posts: readonly Post[]): void {
    this.stats.add(posts);
    this.feed.addHistory(posts);
    this.scheduleRender();
  }

  /** Adds a live batch: `total` posts matched, of which `posts` were sent. */
  push(posts: readonly Post[], total: number): void {
    // Arrival time, not post time, places live posts in the hour: while the server catches up
    // on old events, they are still what the reader watches now.
    const now = Date.now();
    this.stats.add(posts, now);
    this.stats.count(now, Math.max(total, posts.length));
    this.feed.push(posts);
    this.scheduleRender();
  }

  update(posts: readonly Post[]): void {
    this.feed.update(posts);
  }

  remove(uris: readonly string[]): void {
    this.stats.remove(uris);
    this.feed.remove(uris);
  }

  /** Redraws the figures; `global` replaces the comparison figures when given. */
  render(now: number, global: GlobalFigures | null): void {
    window.clearTimeout(this.renderTimer);
    this.renderTimer = undefined;
    if (global) this.global = global;
    global = this.global;
    const summary = this.stats.summarize(now, SPARK_MINUTES);
    const shares = labelShares(summary.labels);
    setValue(this.figures.rate, formatPerMinute(summary.perMinute));
    setValue(this.figures.positive, formatShare(shares.positive));
    setValue(this.figures.negative, formatShare(shares.negative));
    setValue(this.figures.compound, formatCompound(summary.meanCompound));
    if (global) {
      setText(this.compare.rate, `all ${formatPerMinute(global.perMinute)}`);
      setText(this.compare.positive, `all ${formatShare(global.positive)}`);
      setText(this.compare.negative, `all ${formatShare(global.negative)}`);
      setText(this.compare.compound, `all ${formatCompound(global.meanCompound)}`);
    }
    this.renderSpark(summary.minutes);
  }

  private scheduleRender(): void {
    this.renderTimer ??= window.setTimeout(() => this.render(Date.now(), null), RENDER_DELAY_MS);
  }

  private renderSpark(minutes: number[]): void {
    const max = Math.max(1, ...minutes);
    if (this.spark.childElementCount !== minutes.length) {
      this.spark.replaceChildren(...minutes.map(() => h('span', { className: 'spark__bar' })));
    }
    minutes.forEach((count, index) => {
      const bar = this.spark.children[index] as HTMLElement;
      bar.style.height = `${Math.max(count > 0 ? 8 : 2, (count / max) * 100)}%`;
      bar.title = `${count} posts`;
    });
    this.spark.title = `Posts per minute over the last ${minutes.length} minutes; highest ${max}.`;
  }
}
