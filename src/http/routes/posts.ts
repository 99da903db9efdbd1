/** `GET /api/posts` (filtered, keyset-paginated listing) and `GET /api/posts/top`. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppOptions } from '../app-options.ts';
import { badParameter, rejectUnknownQuery } from '../errors.ts';
import {
  cursorParameter,
  durationParameter,
  integerParameter,
  keywordParameter,
  labelParameter,
  languageParameter,
  timeParameter,
  TIME_FORM,
} from '../params.ts';
import { PostPageSchema, TopPostsSchema } from '../schemas.ts';
import { commonErrors, storeFailure, type ApiApp } from './common.ts';

/** Largest page of `/api/posts`. */
export const POSTS_MAX_LIMIT = 500;
/** Largest list per side of `/api/posts/top`. */
export const TOP_MAX_LIMIT = 100;

const PostsQuery = z.object({
  label: labelParameter.optional(),
  language: languageParameter.optional(),
  keyword: keywordParameter.optional(),
  since: timeParameter('Only posts seen at or after this time.').optional(),
  until: timeParameter('Only posts seen before this time.').optional(),
  limit: integerParameter('Posts per page.', 50, 1, POSTS_MAX_LIMIT),
  cursor: cursorParameter.optional(),
});

const listPosts = createRoute({
  method: 'get',
  path: '/api/posts',
  summary: 'Stored posts, newest first',
  description:
    'Filters combine with AND. Times refer to when Jetstream saw the post (indexedAt). Pages are keyset-paginated: ' +
    'pass the `next` value as `cursor` with the same filters to get the following page.',
  middleware: [rejectUnknownQuery(Object.keys(PostsQuery.shape))] as const,
  request: { query: PostsQuery },
  responses: {
    200: { description: 'One page of posts.', content: { 'application/json': { schema: PostPageSchema } } },
    ...commonErrors,
  },
});

const TopQuery = z.object({
  window: durationParameter('How far back from `until` to look.', '1h', 60_000, 30 * 86_400_000),
  until: timeParameter('End of the window; default now.').optional(),
  language: languageParameter.optional(),
  limit: integerParameter('Posts per side.', 10, 1, TOP_MAX_LIMIT),
});

const topPosts = createRoute({
  method: 'get',
  path: '/api/posts/top',
  summary: 'Most positive and most negative posts in a window',
  description: 'Only scored posts take part; ties are broken by the newer post.',
  middleware: [rejectUnknownQuery(Object.keys(TopQuery.shape))] as const,
  request: { query: TopQuery },
  responses: {
    200: { description: 'Both lists.', content: { 'application/json': { schema: TopPostsSchema } } },
    ...commonErrors,
  },
});

export function registerPostRoutes(app: ApiApp, { store, logger, now = Date.now }: AppOptions): void {
  app.openapi(listPosts, async (c) => {
    const query = c.req.valid('query');
    if (query.since !== undefined && query.until !== undefined && query.since >= query.until) {
      throw badParameter('until', c.req.query('until') ?? null, `${TIME_FORM}, later than since`);
    }
    try {
      return c.json(await store.listPosts(query), 200);
    } catch (error) {
      throw storeFailure(c, error, logger);
    }
  });

  app.openapi(topPosts, async (c) => {
    const query = c.req.valid('query');
    const until = query.until ?? now();
    const since = until - query.window;
    try {
      const result = await store.topPosts({ since, until, limit: query.limit, language: query.language });
      const window = { since: new Date(since).toISOString(), until: new Date(until).toISOString() };
      return c.json({ window, positive: result.positive, negative: result.negative }, 200);
    } catch (error) {
      throw storeFailure(c, error, logger);
    }
  });
}
