/**
 * Read queries for the HTTP API, the dashboard's first load and exports. Each one validates its
 * input and throws a `StoreError` with an `INVALID_` code (or `RANGE_TOO_LARGE`) for bad input.
 */
import type { Client, InValue, ResultSet } from '@libsql/client';
import type { Post } from '../hub/events.ts';
import { SENTIMENT_LABELS } from '../sentiment/types.ts';
import type { ExportQuery, PostPage, PostQuery, PostTotals, TopPosts, TopPostsQuery } from './types.ts';
import { StoreError } from './errors.ts';
import { toFtsQuery } from './fts-query.ts';
import { decodeKeyset, encodeKeyset, type KeysetPosition } from './keyset.ts';
import { POST_SELECT, toPost } from './post-row.ts';

/** Largest page of `listPosts` and `topPosts`. */
export const MAX_PAGE_SIZE = 1000;
/** Largest page of `exportPosts`. */
export const MAX_EXPORT_PAGE_SIZE = 10_000;

const LANGUAGE = /^[a-z]{2,8}$/;

interface Filter {
  clauses: string[];
  args: InValue[];
}

/** Clauses shared by listings and exports; times arrive in milliseconds and are stored in µs. */
function filterOf(query: { label?: string; language?: string; keyword?: string; since?: number; until?: number }): Filter {
  const filter: Filter = { clauses: [], args: [] };
  if (query.label !== undefined) {
    if (!(SENTIMENT_LABELS as readonly string[]).includes(query.label)) {
      throw new StoreError('INVALID_QUERY', `Unknown label ${JSON.stringify(query.label)}; use one of ${SENTIMENT_LABELS.join(', ')}.`);
    }
    filter.clauses.push('label = ?');
    filter.args.push(query.label);
  }
  if (query.language !== undefined) {
    filter.clauses.push('language = ?');
    filter.args.push(languageOf(query.language));
  }
  if (query.keyword !== undefined) {
    filter.clauses.push('id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)');
    filter.args.push(toFtsQuery(query.keyword));
  }
  if (query.since !== undefined) {
    filter.clauses.push('time_us >= ?');
    filter.args.push(microseconds(query.since, 'since'));
  }
  if (query.until !== undefined) {
    filter.clauses.push('time_us < ?');
    filter.args.push(microseconds(query.until, 'until'));
  }
  return filter;
}

function whereOf(clauses: string[]): string {
  return clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
}

export function languageOf(language: string): string {
  const normalised = language.trim().toLowerCase();
  if (!LANGUAGE.test(normalised)) {
    throw new StoreError('INVALID_QUERY', `Invalid language ${JSON.stringify(language)}; use a primary language subtag such as "en", or "und" for posts without one.`);
  }
  return normalised;
}

export function microseconds(milliseconds: number, name: string): number {
  if (!Number.isFinite(milliseconds) || milliseconds < 0 || milliseconds > 8.64e15) {
    throw new StoreError('INVALID_QUERY', `Invalid ${name}=${JSON.stringify(milliseconds)}; use milliseconds since the epoch.`);
  }
  return Math.floor(milliseconds) * 1000;
}

export function pageSizeOf(value: number | undefined, fallback: number, max: number, name: string): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw new StoreError('INVALID_QUERY', `Invalid ${name}=${JSON.stringify(value)}; use an integer from 1 to ${max}.`);
  }
  return size;
}

/** Newest posts first by (Jetstream time, rowid), with an opaque keyset cursor. */
export async function listPosts(client: Client, query: PostQuery): Promise<PostPage> {
  const limit = pageSizeOf(query.limit, 50, MAX_PAGE_SIZE, 'limit');
  const filter = filterOf(query);
  if (query.cursor !== undefined) {
    const position = decodeKeyset(query.cursor);
    filter.clauses.push('(time_us, id) < (?, ?)');
    filter.args.push(position.timeUs, position.id);
  }
  const result = await client.execute({
    sql: `SELECT ${POST_SELECT} FROM posts ${whereOf(filter.clauses)} ORDER BY time_us DESC, id DESC LIMIT ?`,
    args: [...filter.args, limit + 1],
  });
  const rows = result.rows.slice(0, limit).map(toPost);
  const last = rows.at(-1);
  const next = result.rows.length > limit && last ? encodeKeyset(last) : null;
  return { posts: rows.map((row) => row.post), next };
}

/** The most positive and the most negative posts whose Jetstream time is in the window. */
export async function topPosts(client: Client, query: TopPostsQuery, now: number): Promise<TopPosts> {
  const limit = pageSizeOf(query.limit, 10, MAX_PAGE_SIZE, 'limit');
  const clauses = ['label = ?', 'time_us >= ?', 'time_us < ?'];
  const window = [microseconds(query.since, 'since'), microseconds(query.until ?? now, 'until')];
  if (query.language !== undefined) clauses.push('language = ?');
  const language = query.language !== undefined ? [languageOf(query.language)] : [];

  const run = async (label: 'positive' | 'negative', direction: 'DESC' | 'ASC'): Promise<Post[]> => {
    const result = await client.execute({
      sql: `SELECT ${POST_SELECT} FROM posts WHERE ${clauses.join(' AND ')}
        ORDER BY compound ${direction}, time_us DESC, id DESC LIMIT ?`,
      args: [label, ...window, ...language, limit],
    });
    return result.rows.map((row) => toPost(row).post);
  };
  return { positive: await run('positive', 'DESC'), negative: await run('negative', 'ASC') };
}

/** Posts stored now by label, counted in the database. */
export async function labelTotals(client: Client): Promise<PostTotals> {
  const result = await client.execute('SELECT label, count(*) FROM posts GROUP BY label');
  const totals: PostTotals = { posts: 0, positive: 0, neutral: 0, negative: 0, unscored: 0 };
  for (const row of result.rows) {
    const label = String(row[0]);
    const count = Number(row[1]);
    totals.posts += count;
    if (label in totals && label !== 'posts') totals[label as keyof PostTotals] += count;
  }
  return totals;
}

export async function countPosts(client: Client): Promise<number> {
  const result = await client.execute('SELECT count(*) FROM posts');
  return Number(result.rows[0]![0]);
}

/** Posts oldest first, fetched one page at a time as the caller iterates, so memory stays bounded. */
export async function* exportPosts(client: Client, query: ExportQuery): AsyncIterable<Post> {
  const pageSize = pageSizeOf(query.pageSize, 1000, MAX_EXPORT_PAGE_SIZE, 'pageSize');
  const filter = filterOf(query);
  let after: KeysetPosition | null = null;
  for (;;) {
    const clauses: string[] = after ? [...filter.clauses, '(time_us, id) > (?, ?)'] : filter.clauses;
    const args: InValue[] = after ? [...filter.args, after.timeUs, after.id] : filter.args;
    const result: ResultSet = await client.execute({
      sql: `SELECT ${POST_SELECT} FROM posts ${whereOf(clauses)} ORDER BY time_us ASC, id ASC LIMIT ?`,
      args: [...args, pageSize],
    });
    if (result.rows.length === 0) return;
    const rows = result.rows.map(toPost);
    for (const row of rows) yield row.post;
    if (rows.length < pageSize) return;
    after = rows.at(-1)!;
  }
}
