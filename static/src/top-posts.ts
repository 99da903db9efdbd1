/** The most positive and most negative posts of the last hour, reloaded every minute. */
import type { Post } from '../../src/hub/events.ts';
import type { ApiClient } from './api.ts';
import { byId, h, setText } from './dom.ts';
import { renderPost } from './post-card.ts';

const WINDOW_MINUTES = 60;
const LIMIT = 5;
const REFRESH_MS = 60_000;

export class TopPosts {
  private readonly positive = byId('top-positive', HTMLElement);
  private readonly negative = byId('top-negative', HTMLElement);
  private readonly note = byId('top-note', HTMLElement);

  private readonly api: ApiClient;

  constructor(api: ApiClient) {
    this.api = api;
  }

  start(): void {
    void this.load();
    window.setInterval(() => {
      if (document.visibilityState === 'visible') void this.load();
    }, REFRESH_MS);
  }

  /**
   * Takes deleted posts off the lists at once rather than at the next reload, which no longer
   * finds them in the store.
   */
  remove(uris: readonly string[]): void {
    for (const uri of uris) {
      for (const list of [this.positive, this.negative]) {
        list.querySelector(`[data-uri="${CSS.escape(uri)}"]`)?.closest('li')?.remove();
      }
    }
  }

  private async load(): Promise<void> {
    try {
      const top = await this.api.topPosts(WINDOW_MINUTES, LIMIT);
      this.fill(this.positive, top.positive, 'No positive posts in the last hour.');
      this.fill(this.negative, top.negative, 'No negative posts in the last hour.');
      setText(this.note, `Updated ${new Date().toLocaleTimeString()}.`);
    } catch (error) {
      console.error(error);
      setText(this.note, `Could not load the top posts (${error instanceof Error ? error.message : String(error)}).`);
    }
  }

  private fill(list: HTMLElement, posts: Post[], emptyText: string): void {
    const now = Date.now();
    if (posts.length === 0) {
      list.replaceChildren(h('li', { className: 'feed__empty', text: emptyText }));
      return;
    }
    list.replaceChildren(...posts.map((post) => h('li', {}, renderPost(post, now))));
  }
}
