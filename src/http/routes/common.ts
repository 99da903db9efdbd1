/** Pieces shared by the route modules: the app type, error responses and store error mapping. */
import type { Context } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { rateLimited, type Logger } from '../../log/logger.ts';
import { StoreError } from '../../store/errors.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError, ApiErrorSchema, detail } from '../errors.ts';

export type ApiApp = OpenAPIHono<AppEnv>;

const errorContent = { 'application/json': { schema: ApiErrorSchema } };

/** Error responses every API route can return. */
export const commonErrors = {
  400: { description: 'A parameter is invalid; the body names it, quotes the value and gives the accepted form.', content: errorContent },
  401: { description: 'DASHBOARD_TOKEN is set and the request carries no valid token.', content: errorContent },
  429: { description: 'Rate limit reached; `Retry-After` gives the seconds to wait.', content: errorContent },
  503: { description: 'The database is unreachable.', content: errorContent },
} as const;

export const errorResponse = (description: string) => ({ description, content: errorContent });

/** Parameter each input error code of the store refers to. */
const STORE_INPUT_PARAMETERS: Record<string, { parameter: string | null; expected: string }> = {
  INVALID_CURSOR: { parameter: 'cursor', expected: 'the `next` value of a previous page, unchanged' },
  INVALID_KEYWORD: { parameter: 'keyword', expected: 'words, "quoted phrases", prefix*, OR and -excluded words, with at least one word not excluded' },
  RANGE_TOO_LARGE: { parameter: 'since', expected: 'a shorter time range' },
  INVALID_QUERY: { parameter: null, expected: 'a valid combination of parameters' },
};

/** libSQL error codes that mean the database cannot be reached or used right now. */
const UNAVAILABLE_CODES = new Set(['CLIENT_CLOSED', 'SQLITE_BUSY', 'SQLITE_CANTOPEN', 'SQLITE_IOERR']);

// An outage fails every request; a few lines a minute are enough to see it.
const warnUnavailable = rateLimited(5, 60_000);

function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreError) return error.code === 'STORE_CLOSED' || error.code === 'CONNECT_FAILED';
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
}

/**
 * Converts a failed store call into the error to throw: the caller's mistakes get 400 naming
 * the parameter, an unreachable or closed database 503, anything else 500 with the error logged.
 */
export function storeFailure(c: Context, error: unknown, logger: Logger): ApiError {
  if (error instanceof StoreError) {
    const input = STORE_INPUT_PARAMETERS[error.code];
    if (input) {
      const received = input.parameter ? (c.req.query(input.parameter) ?? null) : null;
      return new ApiError(400, [detail(input.parameter, received, input.expected, error.message)]);
    }
  }
  if (isUnavailable(error)) {
    warnUnavailable((suppressed) => logger.warn({ err: error, path: c.req.path, suppressed }, 'database unavailable'));
    return new ApiError(503, [detail(null, null, 'a reachable database', 'The database is unavailable; retry later.')], { 'Retry-After': '5' });
  }
  logger.error({ err: error, path: c.req.path }, 'store query failed');
  return new ApiError(500, [detail(null, null, 'a request the service can answer', 'Internal error while reading the database.')]);
}
