/**
 * Access checks for Socket.IO connections: the Origin check and the DASHBOARD_TOKEN check of
 * the handshake. CORS does not cover WebSocket upgrades, so without the Origin check a page on
 * another site could open one with the visitor's cookies.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';
import type { Config } from '../config/schema.ts';
import { presentedToken, tokenMatches } from '../config/access.ts';

/** Builds Socket.IO's `cors` option: the configured origins, or none (same origin only). */
export function corsOption(config: Pick<Config, 'CORS_ORIGINS'>): { origin: string[] | boolean; credentials: boolean } | undefined {
  const origins = config.CORS_ORIGINS;
  if (!origins || origins.length === 0) return undefined;
  return { origin: origins.includes('*') ? true : origins, credentials: true };
}

/**
 * Returns whether a request with `origin` may connect: it has no Origin header (not a
 * browser), its origin has the request's host, or its origin is in CORS_ORIGINS.
 */
export function originAllowed(origin: string | undefined, hosts: Array<string | undefined>, allowed: readonly string[] | undefined): boolean {
  if (!origin) return true;
  if (allowed?.includes('*') || allowed?.includes(origin)) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  return hosts.some((host) => host !== undefined && host.toLowerCase() === originHost);
}

/** engine.io's `allowRequest`: rejects handshakes and upgrades from other origins with 403. */
export function originCheck(config: Pick<Config, 'CORS_ORIGINS' | 'TRUST_PROXY'>) {
  return (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void): void => {
    const hosts = [request.headers.host];
    if (config.TRUST_PROXY) hosts.push(firstHeader(request.headers['x-forwarded-host']));
    const allowed = originAllowed(firstHeader(request.headers.origin), hosts, config.CORS_ORIGINS);
    callback(allowed ? null : 'origin not allowed; add it to CORS_ORIGINS', allowed);
  };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim();
}

/**
 * Socket.IO middleware requiring DASHBOARD_TOKEN in the handshake: `auth.token`, an
 * `Authorization: Bearer` header, the token cookie, or a `token` query parameter.
 */
export function tokenMiddleware(expected: string) {
  return (socket: Socket, next: (error?: Error) => void): void => {
    const { auth, headers, query } = socket.handshake;
    const fromAuth = typeof auth?.token === 'string' ? auth.token : null;
    const fromRequest = presentedToken({
      authorization: headers.authorization,
      cookie: headers.cookie,
      query: typeof query.token === 'string' ? query.token : null,
    });
    if (tokenMatches(expected, fromAuth) || tokenMatches(expected, fromRequest)) return next();
    next(new Error('unauthorized: missing or wrong dashboard token'));
  };
}
