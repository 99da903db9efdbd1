/**
 * The most recent posts' counted contribution, by URI, with a fixed maximum size. It lets the
 * statistics ignore a create delivered twice (the consumer rewinds its cursor on reconnect)
 * and move an edited post from its old label to its new one.
 */
import type { PostContribution } from './tally.ts';

export interface RecentPost {
  /** Time at which the post was counted, ms since the epoch. */
  countedAt: number;
  contribution: PostContribution;
}

export class RecentPosts {
  readonly limit: number;
  // A Map iterates in insertion order, so its first key is always the oldest post.
  readonly #posts = new Map<string, RecentPost>();

  constructor(limit: number) {
    this.limit = limit;
  }

  get size(): number {
    return this.#posts.size;
  }

  get(uri: string): RecentPost | undefined {
    return this.#posts.get(uri);
  }

  /** Remembers a new post, forgetting the oldest one when the map is full. */
  add(uri: string, post: RecentPost): void {
    this.#posts.set(uri, post);
    if (this.#posts.size <= this.limit) return;
    const oldest = this.#posts.keys().next().value;
    if (oldest !== undefined) this.#posts.delete(oldest);
  }

  /** Replaces the contribution of a known post without changing its age. */
  replace(uri: string, contribution: PostContribution): void {
    const post = this.#posts.get(uri);
    if (post) post.contribution = contribution;
  }
}
