/**
 * The dashboard's files from `static/`: `/` is `static/index.html`, other paths map to files
 * below `static/`. Paths that could leave the folder or reach files not meant to be served get
 * 404 before the file system is touched. Rejected: `..` or `.` segments, encoded slashes or
 * backslashes, any backslash, NUL, dotfiles, and the TypeScript sources in `static/src/`.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { serveStatic } from '@hono/node-server/serve-static';

/** Folders below `static/` that are never served. */
const PRIVATE_FOLDERS = ['src', 'node_modules'];

/**
 * Finds the repository's `static/` folder from this module's location: `src/http/` when run
 * from source, `dist/` when run from the esbuild bundle.
 */
export function defaultStaticRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth += 1) {
    const candidate = join(folder, 'static');
    if (existsSync(join(folder, 'package.json')) && existsSync(candidate)) return candidate;
    folder = dirname(folder);
  }
  return resolve('static');
}

/**
 * Returns the decoded path below the static root, or null when the request path must not be
 * served. Decoding happens once; anything that still looks encoded afterwards is refused too.
 */
export function safeStaticPath(requestPath: string): string | null {
  if (/%(2f|5c|00|25)/i.test(requestPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\\') || decoded.includes('\0') || decoded.includes('%')) return null;
  if (!decoded.startsWith('/')) return null;

  const segments = decoded.slice(1).split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.startsWith('.'))) {
    // An empty segment is only allowed as the root itself ("/").
    if (decoded !== '/') return null;
  }
  if (PRIVATE_FOLDERS.includes(segments[0] ?? '')) return null;
  return decoded === '/' ? '/index.html' : decoded;
}

/** Serves the dashboard files; a refused or missing path falls through to the next handler. */
export function staticFiles(root: string): MiddlewareHandler<AppEnv> {
  const absoluteRoot = resolve(root);
  const serve = serveStatic({
    root: absoluteRoot,
    // The wrapper below has already checked the path; this only maps "/" to the page.
    rewriteRequestPath: (path) => (path === '/' ? '/index.html' : path),
  });

  return async function staticFiles(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const path = safeStaticPath(c.req.path);
    if (path === null) return next();

    // Resolve once more and check containment, in case a later change to the checks above lets
    // a path slip through.
    const file = resolve(absoluteRoot, `.${path}`);
    if (file !== absoluteRoot && !file.startsWith(absoluteRoot + sep)) return next();
    try {
      if (!statSync(file).isFile()) return next();
    } catch {
      return next();
    }
    c.set('routeLabel', 'static');
    // Revalidate on every load, so a rebuilt bundle is picked up at once.
    c.header('Cache-Control', 'no-cache');
    return serve(c, next);
  };
}
