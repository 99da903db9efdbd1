/**
 * A bounded list of post cards, newest first by the time Jetstream saw each post. It keeps at
 * most `capacity` cards so the DOM stays small however long the page stays open, and it ignores
 * a post it already shows.
 */
import type { Post } from '../../src/hub/events.ts';
import { h } from './dom.ts';
import { postTime, renderPost } from './post-card.ts';

interface Entry {
  card: HTMLElement;
  time: number;
}

export class PostList {
  readonly element: HTMLElement;
  private readonly capacity: number;
  private readonly entries = new Map<string, Entry>();
  private readonly empty: HTMLElement;

  constructor(capacity: number, label: string, emptyText = 'Waiting for posts\u2026') {
    this.capacity = capacity;
    this.empty = h('p', { className: 'feed__empty', text: emptyText });
    // Not a live region: a stream of posts would drown a screen reader. The region is focusable
    // so keyboard users can scroll it.
    this.element = h('div', { className: 'feed__list', attrs: { role: 'region', 'aria-label': label, tabindex: '0' } }, this.empty);
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  /**
   * Adds posts in time order; a post newer than all shown goes on top. With `highlight` the new
   * cards get a brief arrival mark (CSS skips it when the reader prefers reduced motion).
   */
  add(posts: readonly Post[], highlight = false): void {
    const fresh = posts
      .filter((post) => !this.entries.has(post.uri))
      .map((post) => ({ post, time: postTime(post) }))
      .sort((a, b) => a.time - b.time)
      .slice(-this.capacity);
    if (fresh.length === 0) return;

    const now = Date.now();
    for (const { post, time } of fresh) {
      const card = renderPost(post, now);
      if (highlight) card.classList.add('post--new');
      this.element.insertBefore(card, this.firstOlderThan(time));
      this.entries.set(post.uri, { card, time });
    }
    this.trim();
    this.updateEmpty();
  }

  /** Replaces the whole list with `posts`. */
  replace(posts: readonly Post[]): void {
    for (const entry of this.entries.values()) entry.card.remove();
    this.entries.clear();
    this.add(posts);
    this.updateEmpty();
  }

  /** Redraws the cards of edited posts in place; posts not shown are ignored. */
  update(posts: readonly Post[]): void {
    const now = Date.now();
    for (const post of posts) {
      const entry = this.entries.get(post.uri);
      if (!entry) continue;
      const card = renderPost(post, now);
      entry.card.replaceWith(card);
      entry.card = card;
    }
  }

  /** Removes the cards of `uris`; returns how many were shown. */
  remove(uris: readonly string[]): number {
    let removed = 0;
    for (const uri of uris) {
      const entry = this.entries.get(uri);
      if (!entry) continue;
      entry.card.remove();
      this.entries.delete(uri);
      removed++;
    }
    if (removed > 0) this.updateEmpty();
    return removed;
  }

  setEmptyText(text: string): void {
    this.empty.textContent = text;
  }

  /** Finds the first card older than `time` from the top; null means the bottom of the list. */
  private firstOlderThan(time: number): Element | null {
    for (let child = this.element.firstElementChild; child; child = child.nextElementSibling) {
      const uri = (child as HTMLElement).dataset.uri;
      const entry = uri === undefined ? undefined : this.entries.get(uri);
      if (entry && entry.time < time) return child;
    }
    return null;
  }

  private trim(): void {
    while (this.entries.size > this.capacity) {
      const last = this.element.lastElementChild as HTMLElement | null;
      if (!last || last === this.empty) break;
      last.remove();
      const uri = last.dataset.uri;
      if (uri !== undefined) this.entries.delete(uri);
    }
  }

  private updateEmpty(): void {
    const shouldShow = this.entries.size === 0;
    if (shouldShow && !this.empty.isConnected) this.element.append(this.empty);
    if (!shouldShow && this.empty.isConnected) this.empty.remove();
  }
}
