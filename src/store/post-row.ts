/** Conversion of stored post rows to the public `Post` shape. */
import type { Row } from '@libsql/client';
import type { Post, SentimentLabel } from '../hub/events.ts';

/** Columns every post query selects, in the order `toPost` reads them. */
export const POST_SELECT = 'id, uri, did, text, langs, created_at, time_us, neg, neu, pos, compound, label';

export interface PostWithKey {
  post: Post;
  /** Keyset position of the row: its Jetstream time and its rowid. */
  timeUs: number;
  id: number;
}

export function toPost(row: Row): PostWithKey {
  const timeUs = Number(row[6]);
  const post: Post = {
    uri: String(row[1]),
    did: String(row[2]),
    text: String(row[3]),
    langs: parseLangs(row[4]),
    createdAt: row[5] == null ? null : String(row[5]),
    indexedAt: new Date(Math.floor(timeUs / 1000)).toISOString(),
    sentiment: {
      neg: Number(row[7]),
      neu: Number(row[8]),
      pos: Number(row[9]),
      compound: Number(row[10]),
      label: String(row[11]) as SentimentLabel,
    },
  };
  return { post, timeUs, id: Number(row[0]) };
}

function parseLangs(value: unknown): string[] {
  try {
    const parsed: unknown = JSON.parse(String(value));
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}
