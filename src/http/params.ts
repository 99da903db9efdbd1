/**
 * Query parameter schemas shared by the API routes. Each schema validates and converts the raw
 * text, and its error message is the accepted form, so a 400 response can name it. The same
 * schemas generate the OpenAPI parameter descriptions.
 */
import { z } from '@hono/zod-openapi';
import { SENTIMENT_LABELS } from '../sentiment/types.ts';

/** Earliest and latest epoch milliseconds a time parameter accepts (years 2000 to 9999). */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const EPOCH_MS = /^\d{1,16}$/;

export const TIME_FORM =
  'an ISO 8601 date-time with a time zone (2025-01-31T12:00:00Z), a date (2025-01-31, read as 00:00 UTC) ' +
  'or milliseconds since the epoch (1738324800000), from the year 2000 to 9999';

/** Parses a time parameter into epoch milliseconds, or returns null when it is not valid. */
export function parseTime(text: string): number | null {
  const trimmed = text.trim();
  let value: number;
  if (EPOCH_MS.test(trimmed)) value = Number(trimmed);
  else if (ISO_DATE.test(trimmed)) value = Date.parse(`${trimmed}T00:00:00Z`);
  else if (ISO_DATE_TIME.test(trimmed)) value = Date.parse(trimmed);
  else return null;

  // Date.parse rolls 2025-02-30 over into March; a round trip of the date part catches that.
  if (!EPOCH_MS.test(trimmed) && !Number.isNaN(value)) {
    const datePart = trimmed.slice(0, 10);
    const offsetMatch = /([+-])(\d{2}):(\d{2})$/.exec(trimmed);
    let offsetMs = 0;
    if (offsetMatch) {
      const sign = offsetMatch[1] === '-' ? -1 : 1;
      offsetMs = sign * (Number(offsetMatch[2]) * 60 + Number(offsetMatch[3])) * 60_000;
    }
    if (new Date(value + offsetMs).toISOString().slice(0, 10) !== datePart) return null;
  }
  if (!Number.isFinite(value) || value < EARLIEST_MS || value > LATEST_MS) return null;
  return value;
}

/** Builds the schema of a time parameter, which converts it to epoch milliseconds. */
export function timeParameter(description: string) {
  return z
    .string()
    .transform((text, context) => {
      const value = parseTime(text);
      if (value === null) {
        context.addIssue({ code: 'custom', message: TIME_FORM, input: text });
        return z.NEVER;
      }
      return value;
    })
    .openapi({ description: `${description} Accepts ${TIME_FORM}.`, example: '2025-01-31T12:00:00Z', type: 'string' });
}

/** Units of a duration parameter and their length in milliseconds. */
const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d{1,6})(s|m|h|d)$/;

/** Parses `15m`, `1h`, `7d` into milliseconds, or returns null. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * DURATION_UNITS[match[2]!]!;
}

/** Candidate examples for the accepted form; only those within a parameter's bounds are shown. */
const DURATION_EXAMPLES = ['30s', '90s', '15m', '1h', '7d'];

/** Builds the schema of a duration parameter (`30s`, `15m`, `1h`, `7d`), converted to milliseconds within bounds. */
export function durationParameter(description: string, fallback: string, minMs: number, maxMs: number) {
  const examples = DURATION_EXAMPLES.filter((example) => {
    const ms = parseDuration(example)!;
    return ms >= minMs && ms <= maxMs;
  });
  const suchAs = examples.length > 1 ? ` such as ${examples.slice(0, -1).join(', ')} or ${examples.at(-1)}` : '';
  const form = `a whole number and s, m, h or d${suchAs}, from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`;
  return z
    .string()
    .default(fallback)
    .transform((text, context) => {
      const value = parseDuration(text);
      if (value === null || value < minMs || value > maxMs) {
        context.addIssue({ code: 'custom', message: form, input: text });
        return z.NEVER;
      }
      return value;
    })
    .openapi({ description: `${description} Accepts ${form}.`, example: fallback, type: 'string' });
}

/** Writes milliseconds in the largest whole unit (`90m` stays `90m`, `86400000` is `1d`). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    const size = DURATION_UNITS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** Builds the schema of an integer parameter within bounds, with a default. */
export function integerParameter(description: string, fallback: number, min: number, max: number) {
  const form = `an integer from ${min} to ${max}`;
  return z
    .string()
    .default(String(fallback))
    .transform((text, context) => {
      const trimmed = text.trim();
      const value = Number(trimmed);
      if (!/^-?\d+$/.test(trimmed) || value < min || value > max) {
        context.addIssue({ code: 'custom', message: form, input: text });
        return z.NEVER;
      }
      return value;
    })
    .openapi({ description: `${description} Accepts ${form}; default ${fallback}.`, example: String(fallback), type: 'string' });
}

/** Builds the schema of a parameter that takes one of a fixed set of words. */
export function choiceParameter<const T extends readonly [string, ...string[]]>(values: T, description: string) {
  const form = `one of ${values.join(', ')}`;
  return z.enum(values, { error: () => form }).openapi({ description: `${description} Accepts ${form}.` });
}

/** `true` or `false`, with a default. */
export function booleanParameter(description: string, fallback: boolean) {
  const form = 'true or false';
  return z
    .enum(['true', 'false'], { error: () => form })
    .default(fallback ? 'true' : 'false')
    .transform((text) => text === 'true')
    .openapi({ description: `${description} Accepts ${form}; default ${fallback}.`, type: 'string' });
}

export const labelParameter = choiceParameter(SENTIMENT_LABELS as unknown as ['positive', 'neutral', 'negative', 'unscored'], 'Sentiment label.');

const LANGUAGE_FORM = 'a two- or three-letter primary language subtag such as en, ja or pt, or und for posts without a language';

export const languageParameter = z
  .string()
  .regex(/^[A-Za-z]{2,3}$/, { error: () => LANGUAGE_FORM })
  .transform((text) => text.toLowerCase())
  .openapi({ description: `Primary language of the post. Accepts ${LANGUAGE_FORM}.`, example: 'en' });

/** Maximum length of a keyword query, in characters. */
export const KEYWORD_MAX_LENGTH = 200;
const KEYWORD_FORM = `1 to ${KEYWORD_MAX_LENGTH} characters of search text`;

export const keywordParameter = z
  .string()
  .transform((text) => text.trim())
  .pipe(z.string().min(1, { error: () => KEYWORD_FORM }).max(KEYWORD_MAX_LENGTH, { error: () => KEYWORD_FORM }))
  .openapi({
    description:
      'Full-text search over the post text, matching whole words (case and accents ignored). All words must match; ' +
      '"quoted phrases" match in order, word* matches a prefix, OR separates alternatives and -word excludes. ' +
      `Accepts ${KEYWORD_FORM}.`,
    example: 'weather',
    type: 'string',
  });

const CURSOR_FORM = 'the `next` value of a previous page, unchanged';

export const cursorParameter = z
  .string()
  .min(1, { error: () => CURSOR_FORM })
  .max(500, { error: () => CURSOR_FORM })
  .openapi({ description: `Continues a listing. Accepts ${CURSOR_FORM}.` });
