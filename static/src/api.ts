/**
 * The HTTP API client: the one place that builds URLs and query parameters and reads response
 * shapes.
 * Responses are checked for their outer shape, so a server change shows up as a clear error
 * in the console rather than as a broken chart.
 */
import type { Post, StatsSnapshot } from '../../src/hub/events.ts';
import type { Resolution, TimeseriesPoint, TopPosts } from '../../src/store/types.ts';
import type { SentimentLabel } from './sentiment.ts';

const REQUEST_TIMEOUT_MS = 15_000;

export interface PostsRequest {
  limit: number;
  label?: SentimentLabel;
  language?: string;
  keyword?: string;
  /** Range of Jetstream times, ms since the epoch: since inclusive, until exclusive. */
  since?: number;
  until?: number;
}

export interface ApiClient {
  posts(request: PostsRequest): Promise<Post[]>;
  /** Most positive and most negative posts of the last `windowMinutes`. */
  topPosts(windowMinutes: number, limit: number): Promise<TopPosts>;
  timeseries(resolution: Resolution, sinceMs: number, untilMs: number): Promise<TimeseriesPoint[]>;
  stats(): Promise<StatsSnapshot>;
}

/** Creates a client for the API on the page's own origin; `token` goes in a Bearer header. */
export function createApiClient(token: string | null): ApiClient {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;

  async function getJson(path: string, params: Record<string, string | number | undefined> = {}): Promise<unknown> {
    const url = new URL(path, window.location.origin);
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    const response = await fetch(url, {
      headers,
      credentials: 'same-origin',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) {
      const detail = await response.text().catch(() => '');
      throw new Error(`GET ${url.pathname}${url.search} failed with HTTP ${response.status}: ${detail.slice(0, 200)}`);
    }
    return response.json();
  }

  return {
    async posts({ limit, label, language, keyword, since, until }) {
      const body = await getJson('/api/posts', {
        limit,
        label,
        language,
        keyword,
        since: since === undefined ? undefined : timeParameter(since),
        until: until === undefined ? undefined : timeParameter(until),
      });
      return postList(body, 'posts', '/api/posts');
    },

    async topPosts(windowMinutes, limit) {
      const body = await getJson('/api/posts/top', { window: `${Math.round(windowMinutes)}m`, limit });
      return {
        positive: postList(body, 'positive', '/api/posts/top'),
        negative: postList(body, 'negative', '/api/posts/top'),
      };
    },

    async timeseries(resolution, sinceMs, untilMs) {
      const body = await getJson('/api/timeseries', {
        resolution,
        since: timeParameter(sinceMs),
        until: timeParameter(untilMs),
      });
      const points = (body as { points?: unknown } | null)?.points;
      if (!Array.isArray(points)) throw new Error('/api/timeseries returned no array of points.');
      return points as TimeseriesPoint[];
    },

    async stats() {
      const body = await getJson('/api/stats');
      if (typeof body !== 'object' || body === null || !('windows' in body)) {
        throw new Error('/api/stats returned an object without `windows`.');
      }
      return body as StatsSnapshot;
    },
  };
}

/** Formats a time for a query parameter; the API also accepts ISO 8601, but integers are shorter. */
function timeParameter(ms: number): string {
  return String(Math.floor(ms));
}

function postList(body: unknown, key: string, path: string): Post[] {
  const list = (body as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) throw new Error(`${path} returned no \`${key}\` array.`);
  return list.filter(isPost);
}

/** Checks the fields the page reads, so one malformed post is skipped instead of breaking a list. */
export function isPost(value: unknown): value is Post {
  if (typeof value !== 'object' || value === null) return false;
  const post = value as Record<string, unknown>;
  const sentiment = post.sentiment as Record<string, unknown> | null | undefined;
  return (
    typeof post.uri === 'string' &&
    typeof post.text === 'string' &&
    typeof post.indexedAt === 'string' &&
    Array.isArray(post.langs) &&
    typeof sentiment === 'object' &&
    sentiment !== null &&
    typeof sentiment.label === 'string' &&
    typeof sentiment.compound === 'number'
  );
}
