/**
 * Security headers on every response, through `hono/secure-headers`. The Content-Security-Policy
 * allows scripts and styles only from files of this origin (no inline script, no eval), so text
 * that slipped into the page as HTML still cannot run. `connect-src` names the WebSocket URL of
 * the same host explicitly, because browsers that follow only CSP level 2 do not let `'self'`
 * match ws: and wss:.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

// Host names, IPv4, bracketed IPv6 and a port; anything else (spaces, ";") could inject policy text.
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** Returns `ws://host wss://host` for the Host the browser used, or nothing when the header is unusable. */
export function webSocketSources(c: Context): string {
  const host = c.req.header('host');
  if (!host || !SAFE_HOST.test(host)) return '';
  return `ws://${host} wss://${host}`;
}

export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // uPlot sizes its canvas through element.style (CSSOM), which style-src does not govern.
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'", webSocketSources],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    // Browsers ignore HSTS over plain HTTP; behind TLS it applies to this host only, since other
    // subdomains of the operator's domain may not serve HTTPS.
    strictTransportSecurity: 'max-age=15552000',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    xFrameOptions: 'DENY',
  });
}
