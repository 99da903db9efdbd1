/**
 * The one error body of the API: `{ error: { parameter, value, expected, message } }`, plus
 * `errors` listing every problem when validation found more than one. Scripts can read
 * `parameter` to know what to fix; people read `message`.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z, type Hook } from '@hono/zod-openapi';

export interface ApiErrorDetail {
  /** Query parameter or body field at fault, or null when the request as a whole is. */
  parameter: string | null;
  /** The value received, or null when it was missing. */
  value: unknown;
  /** The accepted form. */
  expected: string;
  message: string;
}

export const ApiErrorDetailSchema = z
  .object({
    parameter: z.string().nullable().openapi({ description: 'Query parameter or body field at fault; null when the request as a whole is.', example: 'limit' }),
    value: z.unknown().openapi({ description: 'The value received; null when it was missing.', example: '5000' }),
    expected: z.string().openapi({ description: 'The accepted form.', example: 'an integer from 1 to 500' }),
    message: z.string().openapi({ example: 'Invalid limit="5000": expected an integer from 1 to 500.' }),
  })
  .openapi('ErrorDetail');

export const ApiErrorSchema = z
  .object({
    error: ApiErrorDetailSchema,
    errors: z.array(ApiErrorDetailSchema).optional().openapi({ description: 'Every problem found, when there is more than one.' }),
  })
  .openapi('Error');

/** Builds a detail whose message names the parameter, quotes the value and gives the accepted form. */
export function detail(parameter: string | null, value: unknown, expected: string, message?: string): ApiErrorDetail {
  let subject = 'request';
  if (parameter !== null && (value === null || value === undefined)) subject = `missing ${parameter}`;
  else if (parameter !== null) subject = `${parameter}=${JSON.stringify(value)}`;
  return {
    parameter,
    value: value ?? null,
    expected,
    message: message ?? `Invalid ${subject}: expected ${expected}.`,
  };
}

/** An error that a handler throws to respond with the API's error body; `app.onError` sends it. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly details: ApiErrorDetail[];
  readonly headers: Record<string, string> | undefined;

  constructor(status: ContentfulStatusCode, details: ApiErrorDetail[], headers?: Record<string, string>) {
    super(details[0]?.message ?? 'Invalid request.');
    this.name = 'ApiError';
    this.status = status;
    this.details = details;
    this.headers = headers;
  }
}

/** Builds a 400 error for one parameter. */
export function badParameter(parameter: string, value: unknown, expected: string, message?: string): ApiError {
  return new ApiError(400, [detail(parameter, value, expected, message)]);
}

/** Sends an error response with one or more details. */
export function sendError(c: Context, status: ContentfulStatusCode, details: ApiErrorDetail[], headers?: Record<string, string>) {
  const body = details.length > 1 ? { error: details[0]!, errors: details } : { error: details[0]! };
  return c.json(body, status, headers);
}

type Target = 'query' | 'json' | 'param' | 'header' | 'cookie' | 'form';

/** Returns the raw value of `parameter` as the client sent it, for the error body. */
async function receivedValue(c: Context, target: Target, path: PropertyKey[]): Promise<unknown> {
  const name = String(path[0] ?? '');
  if (target === 'query') {
    const values = c.req.queries(name);
    if (!values || values.length === 0) return null;
    return values.length === 1 ? values[0] : values;
  }
  if (target === 'json') {
    let value: unknown = await c.req.json().catch(() => null);
    for (const key of path) {
      if (value === null || typeof value !== 'object') return null;
      value = (value as Record<PropertyKey, unknown>)[key];
    }
    return value ?? null;
  }
  if (target === 'param') return c.req.param(name) ?? null;
  return null;
}

/**
 * Validation hook for every route: turns zod issues into 400 responses. Schemas in params.ts
 * carry the accepted form as their error message, so `expected` is that message.
 */
export const validationHook: Hook<unknown, any, any, unknown> = async (result, c) => {
  if (result.success) return;
  const target = result.target as Target;
  const details: ApiErrorDetail[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const name = [...issue.path, key].map(String).join('.');
        details.push(detail(name, await receivedValue(c, target, [...issue.path, key]), 'only the fields listed in /api/openapi.json', `Unknown field ${name}.`));
      }
      continue;
    }
    const parameter = issue.path.length > 0 ? issue.path.map(String).join('.') : null;
    const value = await receivedValue(c, target, issue.path);
    if (Array.isArray(value) && target === 'query') {
      details.push(detail(parameter, value, 'a single value', `Invalid ${parameter}: given ${value.length} times; send it once.`));
      continue;
    }
    const expected = issue.code === 'invalid_type' && value === null ? describeMissing(issue.expected) : issue.message;
    details.push(detail(parameter, value, expected));
  }
  if (details.length === 0) details.push(detail(null, null, 'a valid request', 'Invalid request.'));
  return sendError(c, 400, details);
};

function describeMissing(expected: unknown): string {
  return typeof expected === 'string' ? `a value of type ${expected}` : 'a value';
}

/** Rejects query parameters that a route does not declare, so a misspelt filter is not ignored. */
export function rejectUnknownQuery(allowed: readonly string[]) {
  const known = new Set([...allowed, 'token']);
  const form = allowed.length > 0 ? `one of the parameters ${allowed.join(', ')}` : 'no query parameters';
  return async (c: Context, next: () => Promise<void>) => {
    const unknown = Object.keys(c.req.queries()).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      return sendError(
        c,
        400,
        unknown.map((name) => detail(name, c.req.query(name) ?? null, form, `Unknown parameter ${name}: expected ${form}.`)),
      );
    }
    await next();
  };
}
