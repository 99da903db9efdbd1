/**
 * DASHBOARD_TOKEN for the page, its files and the API. The token may come as a bearer header,
 * the `skypulse_token` cookie or `?token=`. Opening `/?token=…` stores it in the cookie and
 * sends the browser to `/`, so the token leaves the address bar. ADMIN_TOKEN is accepted
 * wherever DASHBOARD_TOKEN is. The health, readiness and metrics endpoints stay open.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import { presentedToken, tokenMatches, TOKEN_COOKIE } from '../config/access.ts';
import { detail, sendError } from './errors.ts';

/** Paths served without a token: probes and scrapers rarely carry credentials. */
export const OPEN_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Lifetime of the token cookie. */
const COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;

const LOCKED_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>skypulse: access token required</title></head>
<body>
<h1>Access token required</h1>
<p>This dashboard needs an access token. Open it with the link your operator gave you, of the form <code>/?token=…</code>.</p>
</body>
</html>
`;

// After a cross-site link, browsers do not send a SameSite=Strict cookie on the redirected
// request, so a 303 would land on the locked page. A page that refreshes itself makes the next
// request same-site, and the cookie goes with it. Meta refresh is not script, so the CSP allows it.
const CONTINUE_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=/"><title>skypulse</title></head>
<body><p><a href="/">Continue to the dashboard</a></p></body>
</html>
`;

export interface AccessOptions {
  dashboardToken: string | undefined;
  adminToken: string | undefined;
  /** Read X-Forwarded-Proto to decide whether the cookie gets `Secure`. */
  trustProxy: boolean;
}

function isHttps(c: Context, trustProxy: boolean): boolean {
  if (trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

function reject(c: Context) {
  const path = c.req.path;
  if (path === '/api' || path.startsWith('/api/')) {
    return sendError(
      c,
      401,
      [detail(null, null, 'the dashboard token', 'Missing or invalid access token: send Authorization: Bearer <token>, the skypulse_token cookie or ?token=<token>.')],
      { 'WWW-Authenticate': 'Bearer realm="skypulse"' },
    );
  }
  return c.html(LOCKED_PAGE, 401);
}

export function dashboardAccess({ dashboardToken, adminToken, trustProxy }: AccessOptions): MiddlewareHandler {
  return async function dashboardAccess(c, next) {
    if (!dashboardToken || OPEN_PATHS.has(c.req.path)) return next();

    const queryToken = c.req.query('token') ?? null;
    const presented = presentedToken({ authorization: c.req.header('authorization'), cookie: c.req.header('cookie'), query: queryToken });
    const allowed = tokenMatches(dashboardToken, presented) || (adminToken !== undefined && tokenMatches(adminToken, presented));

    if (c.req.path === '/' && queryToken !== null) {
      if (!tokenMatches(dashboardToken, queryToken) && !(adminToken !== undefined && tokenMatches(adminToken, queryToken))) return reject(c);
      setCookie(c, TOKEN_COOKIE, queryToken, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: isHttps(c, trustProxy),
        path: '/',
        maxAge: COOKIE_MAX_AGE_SECONDS,
      });
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
      if (c.req.header('sec-fetch-site') === 'cross-site') return c.html(CONTINUE_PAGE, 200);
      return c.redirect('/', 303);
    }

    if (!allowed) return reject(c);
    return next();
  };
}
