/**
 * Response schemas of the API, written against the shared types in src/hub/events.ts and
 * src/store/types.ts. They generate the OpenAPI components, and the tests parse real responses
 * with them, so the document cannot drift from what the service sends.
 */
import { z } from '@hono/zod-openapi';
import { SENTIMENT_LABELS } from '../sentiment/types.ts';

const labels = SENTIMENT_LABELS as unknown as ['positive', 'neutral', 'negative', 'unscored'];

export const SentimentSchema = z
  .object({
    neg: z.number().min(0).max(1),
    neu: z.number().min(0).max(1),
    pos: z.number().min(0).max(1),
    compound: z.number().min(-1).max(1).openapi({ description: "VADER's normalised score from -1 (most negative) to 1 (most positive)." }),
    label: z.enum(labels),
  })
  .openapi('Sentiment', { description: 'VADER scores; unscored posts (not English, or empty) have zeros.' });

export const PostSchema = z
  .object({
    uri: z.string().openapi({ description: 'AT-URI of the post.', example: 'at://did:plc:abc/app.bsky.feed.post/3lbx' }),
    did: z.string().openapi({ example: 'did:plc:abc' }),
    text: z.string(),
    langs: z.array(z.string()).openapi({ description: 'Language tags declared by the author; empty when none were given.' }),
    createdAt: z.string().nullable().openapi({ description: "The record's createdAt as the author's client wrote it, or null." }),
    indexedAt: z.string().openapi({ description: 'When Jetstream saw the post, ISO 8601 UTC.', example: '2025-01-31T12:00:00.000Z' }),
    sentiment: SentimentSchema,
  })
  .openapi('Post');

export const PostPageSchema = z
  .object({
    posts: z.array(PostSchema).openapi({ description: 'Newest first.' }),
    next: z.string().nullable().openapi({ description: 'Pass as `cursor` to fetch the following page; null on the last page.' }),
  })
  .openapi('PostPage');

export const TopPostsSchema = z
  .object({
    window: z.object({ since: z.string(), until: z.string() }).openapi({ description: 'Time range searched, ISO 8601 UTC.' }),
    positive: z.array(PostSchema).openapi({ description: 'Highest compound first.' }),
    negative: z.array(PostSchema).openapi({ description: 'Lowest compound first.' }),
  })
  .openapi('TopPosts');

const LabelCountsSchema = z.object({
  positive: z.number().int(),
  neutral: z.number().int(),
  negative: z.number().int(),
  unscored: z.number().int(),
});

export const TimeseriesPointSchema = z
  .object({
    time: z.string().openapi({ description: 'Start of the bucket, ISO 8601 UTC.' }),
    posts: z.number().int(),
    labels: LabelCountsSchema,
    meanCompound: z.number().nullable().openapi({ description: 'Mean compound of scored posts; null when none were scored.' }),
    languages: z.record(z.string(), z.number().int()).openapi({ description: 'Posts by primary language (`und` when none).' }),
  })
  .openapi('TimeseriesPoint');

export const TimeseriesSchema = z
  .object({
    resolution: z.enum(['minute', 'hour', 'day']),
    since: z.string(),
    until: z.string(),
    points: z.array(TimeseriesPointSchema).openapi({ description: 'Oldest first; buckets without posts are included with zeros.' }),
  })
  .openapi('Timeseries');

const WindowSchema = z.object({
  posts: z.number().int(),
  labels: LabelCountsSchema,
  meanCompound: z.number().nullable(),
});

const countsByName = z.record(z.string(), z.number());

export const FirehoseStatusSchema = z
  .object({
    connected: z.boolean(),
    endpoint: z.string().nullable(),
    cursor: z.number().nullable().openapi({ description: 'Stored Jetstream cursor (time_us).' }),
    lagSeconds: z.number().nullable(),
    lastEventAt: z.string().nullable(),
    reconnects: z.number().int(),
    eventsReceived: z.number().int(),
    dropped: countsByName.openapi({ description: 'Dropped events by reason.' }),
    ignored: countsByName.openapi({ description: 'Ignored events by reason.' }),
    queueDepth: z.number().int(),
    paused: z.boolean(),
    compressed: z.boolean(),
  })
  .openapi('FirehoseStatus');

export const StatsSnapshotSchema = z
  .object({
    version: z.literal(1).openapi({ description: 'Format version; raised when a field changes meaning or is removed.' }),
    serviceVersion: z.string(),
    runtime: z.enum(['node', 'deno']),
    startedAt: z.string(),
    uptimeSeconds: z.number(),
    generatedAt: z.string(),
    totals: LabelCountsSchema.extend({ posts: z.number().int() }).openapi({ description: 'Posts stored now, by label.' }),
    rates: z.object({ postsPerSecond: z.number().openapi({ description: 'Over the last 60 s.' }) }),
    windows: z.object({ minute: WindowSchema, hour: WindowSchema, sinceStart: WindowSchema }),
    languages: z.object({ minute: countsByName, hour: countsByName, sinceStart: countsByName }),
    firehose: FirehoseStatusSchema,
    clients: z.number().int().openapi({ description: 'Dashboards connected now, over all processes when Redis is used.' }),
    ingest: z.boolean(),
  })
  .openapi('StatsSnapshot');

/** Longest announcement accepted, in characters. */
export const ANNOUNCEMENT_MAX_LENGTH = 500;
const MESSAGE_FORM = `1 to ${ANNOUNCEMENT_MAX_LENGTH} characters of text without control characters other than line breaks (LF, CR)`;

export const AnnouncementRequestSchema = z
  .object({
    message: z
      .string({ error: () => MESSAGE_FORM })
      .transform((text) => text.trim())
      .pipe(
        z
          .string()
          .min(1, { error: () => MESSAGE_FORM })
          .max(ANNOUNCEMENT_MAX_LENGTH, { error: () => MESSAGE_FORM })
          .regex(/^[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]*$/, { error: () => MESSAGE_FORM }),
      )
      .openapi({ example: 'Maintenance at 18:00 UTC: the live feed pauses for about five minutes.', type: 'string' }),
    level: z.enum(['info', 'warning'], { error: () => 'one of info, warning' }).default('info'),
  })
  .strict()
  .openapi('AnnouncementRequest');

export const AnnouncementSchema = z
  .object({
    id: z.string(),
    message: z.string(),
    level: z.enum(['info', 'warning']),
    createdAt: z.string(),
  })
  .openapi('Announcement');

const CheckSchema = z.object({ ok: z.boolean(), reason: z.string().nullable() });

export const ReadinessSchema = z
  .object({
    ready: z.boolean(),
    reason: z.string().nullable().openapi({ description: 'Why the service is not ready; null when it is.' }),
    checks: z.object({
      database: CheckSchema,
      firehose: CheckSchema.nullable().openapi({ description: 'Null when ingestion is off (INGEST=false).' }),
    }),
  })
  .openapi('Readiness');

export const HealthSchema = z.object({ status: z.literal('ok') }).openapi('Health');
