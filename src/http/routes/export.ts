/** `GET /api/export`: every post of a time range as CSV or NDJSON, streamed. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Post } from '../../hub/events.ts';
import type { AppOptions } from '../app-options.ts';
import { badParameter, rejectUnknownQuery } from '../errors.ts';
import { exportStream, CSV_COLUMNS } from '../export-stream.ts';
import { booleanParameter, choiceParameter, labelParameter, languageParameter, timeParameter, TIME_FORM } from '../params.ts';
import { commonErrors, storeFailure, type ApiApp } from './common.ts';

/** Range exported when `since` is not given. */
const DEFAULT_SPAN_MS = 24 * 3_600_000;

/** Posts read from the database per query; with posts of up to 10,000 characters a page stays near 5 MB. */
const EXPORT_PAGE_SIZE = 500;

const ExportQuery = z.object({
  format: choiceParameter(['csv', 'ndjson'], 'Output format.').default('csv'),
  label: labelParameter.optional(),
  language: languageParameter.optional(),
  since: timeParameter('Start of the range; default 24 hours before `until`.').optional(),
  until: timeParameter('End of the range (exclusive); default now.').optional(),
  escapeFormulas: booleanParameter(
    "CSV only: prefix text cells starting with =, +, -, @, tab or carriage return with ' so spreadsheets do not run them as formulas. " +
      'Set false to get the exact text (for scripts).',
    true,
  ),
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/export',
  summary: 'Posts of a time range as CSV or NDJSON, streamed',
  description:
    `Oldest first. CSV (RFC 4180, CRLF line ends, UTF-8) has a header row: ${CSV_COLUMNS.join(', ')}; langs are comma-separated. ` +
    'NDJSON has one Post object per line. The body is streamed as the database is read, so a large export starts at once ' +
    'and uses little memory; a transfer that ends without its last chunk (a broken connection) is incomplete.',
  middleware: [rejectUnknownQuery(Object.keys(ExportQuery.shape))] as const,
  request: { query: ExportQuery },
  responses: {
    200: {
      description: 'The export, as an attachment.',
      content: {
        'text/csv': { schema: z.string().openapi({ example: `${CSV_COLUMNS.join(',')}\r\n` }) },
        'application/x-ndjson': { schema: z.string().openapi({ description: 'One Post (see the Post schema) per line.' }) },
      },
    },
    ...commonErrors,
  },
});

/** Compact UTC stamp for file names: 20250131T120000Z. */
function fileStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Yields `first` (already read) and then the rest of `iterator`. */
async function* resume(first: IteratorResult<Post>, iterator: AsyncIterator<Post>): AsyncGenerator<Post> {
  if (first.done) return;
  yield first.value;
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  } finally {
    await iterator.return?.();
  }
}

export function registerExportRoutes(app: ApiApp, { store, logger, metrics, now = Date.now, shutdownSignal }: AppOptions): void {
  app.openapi(exportRoute, async (c) => {
    const { format, label, language, since: sinceParam, until: untilParam, escapeFormulas } = c.req.valid('query');
    const until = untilParam ?? now();
    const since = sinceParam ?? until - DEFAULT_SPAN_MS;
    if (since >= until) {
      throw badParameter('until', c.req.query('until') ?? null, `${TIME_FORM}, later than since`);
    }

    // Read the first post before responding, so an unreachable database gets a 503 instead of
    // a 200 that breaks off.
    const iterator = store.exportPosts({ since, until, label, language, pageSize: EXPORT_PAGE_SIZE })[Symbol.asyncIterator]();
    let first: IteratorResult<Post>;
    try {
      first = await iterator.next();
    } catch (error) {
      throw storeFailure(c, error, logger);
    }

    // A client that stopped reading leaves the response waiting for a drain that never comes,
    // so a failed stream alone would not end it: shutdown closes the connection itself.
    const connection = (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing;
    const body = exportStream(resume(first, iterator), {
      format,
      escapeFormulas,
      signal: shutdownSignal,
      onAbort: () => connection?.destroy(),
      onPosts: (count) => metrics.countExportedPosts(format, count),
      onError: (error) => logger.error({ err: error, since, until, format }, 'export failed mid-stream; the client gets an incomplete transfer'),
    });
    const extension = format === 'csv' ? 'csv' : 'ndjson';
    return c.body(body, 200, {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="skypulse-${fileStamp(since)}-${fileStamp(until)}.${extension}"`,
    });
  });
}
