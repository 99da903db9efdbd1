/**
 * Every environment variable the service reads, with its default, unit and meaning. `--help`
 * prints this table, and `loadConfig` validates every entry before anything is opened.
 */
import { LOG_LEVELS } from '../log/logger.ts';
import { boolean, decimal, integer, oneOf, originList, secret, text, url, urlList, type Parser } from './parsers.ts';

interface Variable<T, F extends string | undefined = string | undefined> {
  readonly parser: Parser<T>;
  /** Default as the variable's text; undefined means unset (the feature is off). */
  readonly fallback: F;
  readonly unit?: string;
  readonly help: string;
}

function variable<T, const F extends string | undefined>(parser: Parser<T>, fallback: F, help: string, unit?: string): Variable<T, F> {
  return { parser, fallback, help, unit };
}

/** Public Jetstream v1 instances, tried in this order when one fails. */
export const PUBLIC_JETSTREAM_URLS = [
  'wss://jetstream1.us-east.bsky.network/subscribe',
  'wss://jetstream2.us-east.bsky.network/subscribe',
  'wss://jetstream1.us-west.bsky.network/subscribe',
  'wss://jetstream2.us-west.bsky.network/subscribe',
];

export const VARIABLES = {
  PORT: variable(integer(0, 65535), '3000', 'TCP port of the HTTP and Socket.IO server (0 picks a free port).'),
  HOST: variable(text, '127.0.0.1', 'Address to listen on; use 0.0.0.0 to accept connections from other machines.'),
  DATABASE_URL: variable(
    url(['file', 'libsql', 'http', 'https', 'ws', 'wss']),
    'file:./data/skypulse.db',
    'libSQL database: a file: path (embedded, WAL mode) or a libsql:// or http(s):// server URL.',
  ),
  DATABASE_AUTH_TOKEN: variable(secret, undefined, 'Auth token for a remote libSQL server.'),
  DATABASE_BUSY_TIMEOUT_MS: variable(
    integer(0, 60_000),
    '250',
    'How long one call on a file: database waits for a lock held by another process before the write is retried with backoff; the wait blocks the event loop, so keep it short.',
    'ms',
  ),
  DATABASE_WRITE_THREAD: variable(
    oneOf(['auto', 'true', 'false'] as const),
    'auto',
    'Write a file: database from a worker thread, for faster catch-up with two or more CPUs; auto is true on Node and false on Deno.',
  ),
  SCORING_THREAD: variable(
    oneOf(['auto', 'true', 'false'] as const),
    'auto',
    'Score catch-up batches of 100 posts or more on a worker thread, so the main thread keeps reading and serving; auto is true with two or more CPUs.',
  ),
  JETSTREAM_URL: variable(
    urlList(['ws', 'wss']),
    PUBLIC_JETSTREAM_URLS.join(','),
    'Jetstream /subscribe endpoints, comma-separated; the consumer fails over to the next one in order.',
  ),
  LOG_LEVEL: variable(oneOf(LOG_LEVELS), 'info', 'Minimum level of the JSON log lines written to standard output.'),
  INGEST: variable(boolean, 'true', 'Consume Jetstream and write to the database (one process per database); false serves HTTP and Socket.IO only.'),

  CURSOR_REWIND_SECONDS: variable(integer(0, 3600), '3', 'How far before the stored cursor a reconnect resumes.', 's'),
  RECONNECT_MIN_MS: variable(integer(1, 600_000), '500', 'Shortest delay before a reconnect attempt.', 'ms'),
  RECONNECT_MAX_MS: variable(integer(1, 3_600_000), '60000', 'Longest delay before a reconnect attempt.', 'ms'),
  RECONNECT_HEALTHY_SECONDS: variable(integer(1, 3600), '30', 'Connected time after which the backoff resets.', 's'),
  STALL_TIMEOUT_SECONDS: variable(integer(1, 3600), '45', 'Silence (no frame, no pong) after which the upstream socket is treated as dead.', 's'),
  PING_INTERVAL_SECONDS: variable(integer(1, 3600), '15', 'Interval of WebSocket pings to the upstream.', 's'),
  QUEUE_MAX_EVENTS: variable(integer(100, 1_000_000), '20000', 'Parsed events held before reading from the socket pauses.', 'events'),
  BATCH_MAX_EVENTS: variable(integer(1, 100_000), '2000', 'Largest batch scored and written in one transaction.', 'events'),
  BATCH_MAX_WAIT_MS: variable(integer(0, 10_000), '2', 'Longest an event waits for more to join its batch; after a quiet spell it is written at once.', 'ms'),
  MAX_MESSAGE_BYTES: variable(integer(1024, 64 * 1024 * 1024), String(4 * 1024 * 1024), 'Largest upstream frame accepted; larger ones are dropped and counted.', 'bytes'),
  JETSTREAM_COMPRESS: variable(boolean, 'false', 'Ask Jetstream for zstd-compressed frames where the runtime can decode them.'),
  ZSTD_DICTIONARY_PATH: variable(text, undefined, "Path of Jetstream's zstd dictionary, needed when JETSTREAM_COMPRESS is true."),

  MAX_TEXT_LENGTH: variable(integer(100, 1_000_000), '10000', 'Characters of post text kept, scored and stored; the rest is cut.', 'characters'),
  POSITIVE_THRESHOLD: variable(decimal(-1, 1), '0.05', 'Compound score at or above which a post is positive.'),
  NEGATIVE_THRESHOLD: variable(decimal(-1, 1), '-0.05', 'Compound score at or below which a post is negative.'),

  RETENTION_DAYS: variable(decimal(0.001, 36_500), '7', 'Age after which stored posts are pruned.', 'days'),
  ROLLUP_RETENTION_DAYS: variable(decimal(0.001, 36_500), '365', 'Age after which per-minute roll-ups are pruned.', 'days'),

  BROADCAST_TICK_MS: variable(integer(5, 10_000), '20', 'Shortest interval between two sends of new posts to dashboards; after a quiet spell posts go out at once.', 'ms'),
  CLIENT_MAX_POSTS_PER_SECOND: variable(integer(1, 100_000), '50', 'Posts one dashboard receives per second at most; the rest are sampled out.', 'posts/s'),
  CLIENT_MAX_BUFFER_BYTES: variable(integer(1024, 1024 * 1024 * 1024), String(1024 * 1024), 'Send buffer above which a client only gets volatile messages dropped.', 'bytes'),
  CLIENT_STALL_SECONDS: variable(integer(1, 3600), '30', 'Time a client may stay above its buffer limit before it is disconnected.', 's'),
  MAX_ROOMS_PER_CLIENT: variable(integer(1, 1000), '10', 'Terms one dashboard may track at once.', 'rooms'),
  REDIS_URL: variable(url(['redis', 'rediss']), undefined, 'Redis server for the Socket.IO adapter when several processes serve clients.'),
  DASHBOARD_TOKEN: variable(secret, undefined, 'When set, the dashboard, Socket.IO and HTTP API require this token.'),
  ADMIN_TOKEN: variable(secret, undefined, 'When set, enables POST /api/announcements with this bearer token.'),
  CORS_ORIGINS: variable(originList, undefined, 'Origins allowed to call the API and Socket.IO, comma-separated; unset means same origin only.'),

  RATE_LIMIT_PER_MINUTE: variable(integer(1, 10_000_000), '600', 'API requests one client may make per minute before 429.', 'requests/min'),
  TRUST_PROXY: variable(boolean, 'false', 'Take the client address from X-Forwarded-For (set behind a reverse proxy).'),
  SHUTDOWN_TIMEOUT_SECONDS: variable(integer(1, 600), '10', 'Time allowed for a graceful shutdown before the process exits anyway.', 's'),
} as const;

export type VariableName = keyof typeof VARIABLES;

type ValueOf<V> = V extends Variable<infer T, infer F> ? (F extends string ? T : T | undefined) : never;

/** The validated configuration; unset optional variables are undefined. */
export type Config = { readonly [K in VariableName]: ValueOf<(typeof VARIABLES)[K]> };
