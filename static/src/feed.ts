/**
 * A live feed: a bounded post list with pause and resume. It pauses by itself while the reader
 * scrolls down the list or moves keyboard focus into it, keeps new posts waiting with a count,
 * and shows them when the reader resumes or returns to the top.
 */
import type { Post } from '../../src/hub/events.ts';
import { h, setText } from './dom.ts';
import { formatCount } from './format.ts';
import { PostList } from './post-list.ts';
import { readSetting, writeSetting } from './storage.ts';

/** Pixels scrolled down from the top of the list that count as reading. */
const READING_OFFSET_PX = 24;
/** New posts are drawn at most this often, so a fast stream stays readable. */
const RENDER_INTERVAL_MS = 250;
/** Posts a paced feed keeps for its next tick. Older ones are dropped, because the feed is a sample anyway. */
const PACED_BACKLOG = 20;

export interface FeedOptions {
  /** Accessible name of the list, such as "Live posts". */
  label: string;
  capacity: number;
  emptyText?: string;
  /** Adds a control that limits how many posts per second the feed shows. */
  paceControl?: { storageKey: string };
}

/** Choices of the pace control: posts per second, or null for every post. */
const PACES: ReadonlyArray<{ value: number | null; text: string }> = [
  { value: null, text: 'Every post' },
  { value: 10, text: 'Up to 10 a second' },
  { value: 2, text: 'Up to 2 a second' },
];

type PauseReason = 'manual' | 'scroll' | 'focus';

export class Feed {
  readonly element: HTMLElement;
  private readonly list: PostList;
  private readonly pauseButton: HTMLButtonElement;
  private readonly waitingButton: HTMLButtonElement;
  private readonly state: HTMLElement;
  private readonly note: HTMLElement;
  private readonly pauses = new Set<PauseReason>();
  /** Newest waiting posts, oldest first, at most `capacity` of them. */
  private waiting: Post[] = [];
  /** All posts that arrived while paused, including those beyond `capacity`. */
  private waitingCount = 0;
  private pending: Post[] = [];
  /** Posts per second shown at most, or null for all. */
  private pace: number | null = null;
  /** Posts the pace allows now (a token bucket refilled at `pace` per second). */
  private allowance = 0;
  private lastRenderAt = 0;
  private renderTimer: number | undefined;
  private accept: (post: Post) => boolean = () => true;

  private readonly options: FeedOptions;

  constructor(options: FeedOptions) {
    this.options = options;
    this.list = new PostList(options.capacity, options.label, options.emptyText);
    this.pauseButton = h('button', { className: 'button', text: 'Pause', attrs: { type: 'button', 'aria-pressed': 'false' } });
    this.state = h('span', { className: 'feed__state', text: 'Live' });
    this.note = h('span', { className: 'feed__note' });
    this.waitingButton = h('button', { className: 'button feed__waiting', attrs: { type: 'button' } });
    this.waitingButton.hidden = true;

    const toolbar = h('div', { className: 'feed__toolbar' }, this.pauseButton, this.state, this.note);
    if (options.paceControl) toolbar.append(this.createPaceControl(options.paceControl.storageKey));
    this.element = h(
      'div',
      { className: 'feed' },
      toolbar,
      this.waitingButton,
      this.list.element,
    );

    this.pauseButton.addEventListener('click', () => {
      if (this.pauses.has('manual')) this.resume();
      else this.setPause('manual', true);
    });
    this.waitingButton.addEventListener('click', () => this.resume());
    this.list.element.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.list.element.addEventListener('focusin', () => this.setPause('focus', true));
    this.list.element.addEventListener('focusout', (event) => {
      const next = event.relatedTarget;
      if (!(next instanceof Node) || !this.list.element.contains(next)) this.setPause('focus', false);
    });
  }

  get paused(): boolean {
    return this.pauses.size > 0;
  }

  /**
   * Sets which posts the feed accepts from now on and drops waiting posts that fail it. Posts
   * already shown stay until `replace`, which callers use to reload under the new filter.
   */
  setFilter(accept: (post: Post) => boolean): void {
    this.accept = accept;
    this.waiting = this.waiting.filter(accept);
    this.waitingCount = this.waiting.length;
    this.pending = this.pending.filter(accept);
    this.updateControls();
  }

  /** Adds live posts (oldest first); they wait while the feed is paused. */
  push(posts: readonly Post[]): void {
    const accepted = posts.filter((post) => this.accept(post) && !this.list.has(post.uri));
    if (accepted.length === 0) return;
    if (this.paused) {
      this.waiting.push(...accepted);
      if (this.waiting.length > this.options.capacity) this.waiting.splice(0, this.waiting.length - this.options.capacity);
      this.waitingCount += accepted.length;
      this.updateControls();
      return;
    }
    this.pending.push(...accepted);
    if (this.pending.length > this.options.capacity) this.pending.splice(0, this.pending.length - this.options.capacity);
    this.renderTimer ??= window.setTimeout(() => this.renderPending(), RENDER_INTERVAL_MS);
  }

  /** Replaces everything shown with stored posts, for the first load or a new filter. */
  replace(posts: readonly Post[]): void {
    this.pending = [];
    this.waiting = [];
    this.waitingCount = 0;
    this.list.replace(posts.filter(this.accept));
    this.updateControls();
  }

  /** Adds stored posts in time order among those shown, for the first load or to fill a gap. */
  addHistory(posts: readonly Post[]): void {
    this.list.add(posts.filter(this.accept));
  }

  /** Redraws edited posts, shown or waiting, with their new text and sentiment. */
  update(posts: readonly Post[]): void {
    const edited = new Map(posts.map((post) => [post.uri, post]));
    this.list.update(posts);
    this.waiting = this.waiting.map((post) => edited.get(post.uri) ?? post);
    this.pending = this.pending.map((post) => edited.get(post.uri) ?? post);
  }

  /** Removes deleted posts from the list and from the waiting posts. */
  remove(uris: readonly string[]): void {
    this.list.remove(uris);
    const deleted = new Set(uris);
    const before = this.waiting.length;
    this.waiting = this.waiting.filter((post) => !deleted.has(post.uri));
    this.waitingCount = Math.max(0, this.waitingCount - (before - this.waiting.length));
    this.pending = this.pending.filter((post) => !deleted.has(post.uri));
    this.updateControls();
  }

  /** Sets the remark beside the pause state, such as how much of the stream is shown. */
  setNote(text: string): void {
    setText(this.note, text);
  }

  setEmptyText(text: string): void {
    this.list.setEmptyText(text);
  }

  /** Clears every pause, shows the waiting posts and scrolls back to the newest. */
  resume(): void {
    this.pauses.clear();
    this.list.element.scrollTop = 0;
    this.showWaiting();
    this.updateControls();
  }

  private setPause(reason: PauseReason, on: boolean): void {
    const wasPaused = this.paused;
    if (on) this.pauses.add(reason);
    else this.pauses.delete(reason);
    if (wasPaused && !this.paused) this.showWaiting();
    this.updateControls();
  }

  private onScroll(): void {
    const top = this.list.element.scrollTop;
    if (top > READING_OFFSET_PX) this.setPause('scroll', true);
    else if (top <= 1) this.setPause('scroll', false);
  }

  private showWaiting(): void {
    const posts = this.waiting;
    this.waiting = [];
    this.waitingCount = 0;
    this.list.add(posts);
  }

  private createPaceControl(storageKey: string): HTMLElement {
    const select = h('select', { attrs: { 'aria-label': 'Feed pace' } });
    for (const [index, pace] of PACES.entries()) select.append(h('option', { text: pace.text, attrs: { value: String(index) } }));
    const stored = PACES.findIndex((pace) => String(pace.value) === readSetting(storageKey));
    select.value = String(Math.max(0, stored));
    this.pace = PACES[Math.max(0, stored)].value;
    select.addEventListener('change', () => {
      this.pace = PACES[Number(select.value)]?.value ?? null;
      this.allowance = 0;
      writeSetting(storageKey, String(this.pace));
    });
    return h('label', { className: 'inline-field feed__pace' }, 'Pace', select);
  }

  private renderPending(): void {
    this.renderTimer = undefined;
    const now = Date.now();
    const elapsed = Math.min(1, (now - this.lastRenderAt) / 1000);
    this.lastRenderAt = now;

    let posts = this.pending;
    this.pending = [];
    if (this.pace !== null && !this.paused) {
      this.allowance = Math.min(this.pace, this.allowance + this.pace * elapsed);
      const shownCount = Math.floor(this.allowance);
      this.allowance -= shownCount;
      // Only the newest posts are shown; the rest wait one tick at most, then give way to newer ones.
      this.pending = shownCount > 0 ? [] : posts.slice(-PACED_BACKLOG);
      posts = shownCount > 0 ? posts.slice(-shownCount) : [];
      if (this.pending.length > 0) this.renderTimer = window.setTimeout(() => this.renderPending(), RENDER_INTERVAL_MS);
    }
    if (this.paused) {
      this.waiting.push(...posts);
      this.waitingCount += posts.length;
      this.updateControls();
      return;
    }
    this.list.add(posts, true);
  }

  private updateControls(): void {
    const manual = this.pauses.has('manual');
    this.pauseButton.setAttribute('aria-pressed', String(manual));
    setText(this.pauseButton, manual ? 'Resume' : 'Pause');

    const waitingText = `${formatCount(this.waitingCount)} new ${this.waitingCount === 1 ? 'post' : 'posts'}`;
    let state = 'Live';
    if (manual) state = `Paused \u00B7 ${waitingText} waiting`;
    else if (this.paused) state = `Paused while you read \u00B7 ${waitingText} waiting`;
    setText(this.state, state);
    this.element.classList.toggle('feed--paused', this.paused);

    this.waitingButton.hidden = this.waitingCount === 0;
    setText(this.waitingButton, `Show ${waitingText}`);
  }
}
