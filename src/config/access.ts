/**
 * Access token checks shared by the HTTP API and the Socket.IO handshake, so both accept the
 * same forms: `Authorization: Bearer <token>`, the `skypulse_token` cookie, or `?token=`.
 */
import { timingSafeEqual } from 'node:crypto';

/** Cookie that carries the dashboard token after the page was opened with `?token=`. */
export const TOKEN_COOKIE = 'skypulse_token';

export interface TokenSources {
  authorization?: string | null;
  cookie?: string | null;
  query?: string | null;
}

/** Returns the token a request presents, or null. */
export function presentedToken({ authorization, cookie, query }: TokenSources): string | null {
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) return bearer;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
    }
  }
  return query ?? null;
}

/** Compares in constant time, so the response time does not reveal how much of a guess matched. */
export function tokenMatches(expected: string, presented: string | null): boolean {
  if (presented === null) return false;
  const a = new TextEncoder().encode(expected);
  const b = new TextEncoder().encode(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
