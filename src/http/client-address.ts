/**
 * The address a request came from, used as the rate-limit key. Behind a reverse proxy
 * (TRUST_PROXY=true) every request arrives from the proxy, so the client is read from the last
 * X-Forwarded-For entry, which the proxy appended; earlier entries come from the client and can
 * be forged.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Key used when neither the socket nor a trusted header gives an address (in-process requests). */
export const UNKNOWN_ADDRESS = 'unknown';

/** The socket's remote address, or null when the request did not come through a node server. */
export function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // app.request() in tests has no incoming socket.
    return null;
  }
}

/** The client address: the last X-Forwarded-For entry when the proxy is trusted, else the socket's. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').map((part) => part.trim()).filter(Boolean).at(-1);
    if (last) return last;
  }
  return socketAddress(c) ?? UNKNOWN_ADDRESS;
}
