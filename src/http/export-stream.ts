/**
 * Turns the store's post iterator into a byte stream of CSV or NDJSON. The stream is
 * pull-based: posts are read only when the HTTP layer requests more bytes, so a slow client
 * holds back the database reads and memory stays bounded whatever the size of the export.
 */
import { stringify } from 'csv-stringify/sync';
import type { Post } from '../hub/events.ts';

export type ExportFormat = 'csv' | 'ndjson';

/** Posts encoded into one chunk of the response. */
const POSTS_PER_CHUNK = 200;

export const CSV_COLUMNS = ['uri', 'did', 'created_at', 'indexed_at', 'langs', 'label', 'compound', 'pos', 'neu', 'neg', 'text'] as const;

export interface ExportStreamOptions {
  format: ExportFormat;
  /**
   * CSV only: prefix cells that start with `=`, `+`, `-`, `@`, tab or carriage return with `'`,
   * so a spreadsheet shows post text instead of evaluating it as a formula.
   */
  escapeFormulas: boolean;
  /** Aborting ends the stream with an error, so the client sees an incomplete transfer. */
  signal?: AbortSignal;
  /** Called once when `signal` aborts the export, after the stream was failed. */
  onAbort?: () => void;
  /** Called with the number of posts in each chunk handed to the HTTP layer. */
  onPosts?: (count: number) => void;
  /** Called when reading from the store fails mid-stream. */
  onError?: (error: unknown) => void;
}

function csvRow(post: Post): unknown[] {
  const { sentiment } = post;
  return [
    post.uri,
    post.did,
    post.createdAt ?? '',
    post.indexedAt,
    post.langs.join(','),
    sentiment.label,
    sentiment.compound,
    sentiment.pos,
    sentiment.neu,
    sentiment.neg,
    post.text,
  ];
}

/**
 * Encodes rows as CSV with csv-stringify: fields with quotes, commas or line breaks are quoted.
 * With an explicit record delimiter, csv-stringify 6.9 quotes only fields that contain that
 * whole delimiter, so a text with a bare `\n` or `\r` would split its row; `quoted_match`
 * quotes those too.
 */
export function encodeCsv(rows: unknown[][], escapeFormulas: boolean): string {
  return stringify(rows, { escape_formulas: escapeFormulas, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

export function exportStream(posts: AsyncIterable<Post>, { format, escapeFormulas, signal, onAbort, onPosts, onError }: ExportStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = posts[Symbol.asyncIterator]();
  let headerSent = format !== 'csv';
  let done = false;
  let abort: (() => void) | undefined;

  /** Marks the export finished; `stopReading` also closes the store iterator early. */
  const finish = async (stopReading: boolean) => {
    if (done) return;
    done = true;
    if (abort) signal?.removeEventListener('abort', abort);
    if (stopReading) await iterator.return?.();
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (!signal) return;
        abort = () => {
          void finish(true).catch(() => undefined);
          try {
            controller.error(new Error('Export stopped: the service is shutting down.'));
          } catch {
            // The stream already ended.
          }
          onAbort?.();
        };
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
      },
      async pull(controller) {
        const batch: Post[] = [];
        let exhausted = false;
        try {
          while (batch.length < POSTS_PER_CHUNK) {
            const next = await iterator.next();
            if (next.done) {
              exhausted = true;
              break;
            }
            batch.push(next.value);
          }
        } catch (error) {
          onError?.(error);
          await finish(true).catch(() => undefined);
          controller.error(error);
          return;
        }
        if (done) return;

        let text = '';
        if (!headerSent) {
          text += encodeCsv([[...CSV_COLUMNS]], false);
          headerSent = true;
        }
        if (batch.length > 0) {
          text += format === 'csv' ? encodeCsv(batch.map(csvRow), escapeFormulas) : batch.map((post) => JSON.stringify(post)).join('\n') + '\n';
        }
        if (text) controller.enqueue(encoder.encode(text));
        if (batch.length > 0) onPosts?.(batch.length);
        if (exhausted) {
          await finish(false);
          controller.close();
        }
      },
      async cancel() {
        // The client went away: stop reading from the database.
        await finish(true);
      },
    },
    // One chunk buffered ahead of the client at most.
    { highWaterMark: 1 },
  );
}
