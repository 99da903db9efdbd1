import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openHarness, type Harness } from './harness.ts';
import { defaultStaticRoot, safeStaticPath } from '../../src/http/static-files.ts';
import { repositoryRoot } from '../support/service-process.ts';

/** Sends `path` byte for byte (fetch and URL would normalise `..` and backslashes away). */
function rawGet(baseUrl: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.setTimeout(5000, () => request.destroy(new Error(`GET ${path} timed out`)));
    request.on('error', reject);
    request.end();
  });
}

const TRAVERSALS = [
  '/../secret.txt',
  '/..%2fsecret.txt',
  '/%2e%2e/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/%2E%2E%2Fsecret.txt',
  '/dist/../../secret.txt',
  '/dist/%2e%2e/%2e%2e/secret.txt',
  '/..%5csecret.txt',
  '/dist%5c..%5c..%5csecret.txt',
  '/%252e%252e/secret.txt',
  '/dist/app.js%00.html',
  '//secret.txt',
  '/.env',
  '/src/main.ts',
  '/src%2fmain.ts',
  '/SRC/../src/main.ts',
];

// ---

const files = suite<{ harness: Harness; baseUrl: string }>('static files');

files.before(async (context) => {
  context.harness = await openHarness({ posts: [] });
  context.baseUrl = await context.harness.listen();
});
files.after(async (context) => context.harness.close());

files('serves the page and the bundle', async ({ harness }) => {
  const page = await harness.app.request('/');
  assert.is(page.status, 200, '/ status');
  assert.match(page.headers.get('content-type') ?? '', /text\/html/, 'page content type');
  assert.match(await page.text(), /skypulse test page/, '/ is static/index.html');
  const bundle = await harness.app.request('/dist/app.js');
  assert.is(bundle.status, 200, 'bundle status');
  assert.match(bundle.headers.get('content-type') ?? '', /javascript/, 'bundle content type');
  assert.is(bundle.headers.get('cache-control'), 'no-cache', 'revalidated on every load');
  const styles = await harness.app.request('/dist/app.css');
  assert.match(styles.headers.get('content-type') ?? '', /text\/css/, 'styles content type');
});

files('missing file is 404', async ({ harness }) => {
  const response = await harness.app.request('/missing.html');
  assert.is(response.status, 404, 'status');
});

for (const path of TRAVERSALS) {
  files(`404 for ${path}`, async ({ baseUrl }) => {
    const { status, body } = await rawGet(baseUrl, path);
    assert.is(status, 404, 'status');
    assert.not.match(body, /outside the static folder|typescript source|SECRET=/, 'no file content leaks');
  });
}

files('raw backslash is refused before routing', async ({ baseUrl }) => {
  // @hono/node-server rejects a backslash in the request path as an invalid request target.
  for (const path of ['/..\\secret.txt', '/dist\\..\\..\\secret.txt']) {
    const { status, body } = await rawGet(baseUrl, path);
    assert.ok(status === 400 || status === 404, `${path} refused with ${status}`);
    assert.not.match(body, /outside the static folder/, `${path} leaks nothing`);
  }
});

files('page carries a CSP without inline script', async ({ harness }) => {
  const response = await harness.app.request('/', { headers: { Host: 'pulse.example:8443' } });
  const policy = response.headers.get('content-security-policy') ?? '';
  const directives = new Map(policy.split(';').map((part) => {
    const [name, ...values] = part.trim().split(/\s+/);
    return [name!, values] as const;
  }));
  assert.equal(directives.get('script-src'), ["'self'"], 'scripts only from this origin');
  assert.equal(directives.get('style-src'), ["'self'"], 'styles only from this origin');
  assert.equal(directives.get('connect-src'), ["'self'", 'ws://pulse.example:8443', 'wss://pulse.example:8443'], 'WebSocket of the same host');
  assert.equal(directives.get('object-src'), ["'none'"], 'no plugins');
  assert.equal(directives.get('frame-ancestors'), ["'none'"], 'no framing');
  assert.not.match(policy, /unsafe-inline|unsafe-eval/, 'no unsafe sources');
  assert.is(response.headers.get('x-content-type-options'), 'nosniff', 'nosniff');
  assert.is(response.headers.get('x-frame-options'), 'DENY', 'frame options');
  assert.is(response.headers.get('referrer-policy'), 'no-referrer', 'referrer policy');
});

files('a forged Host cannot add CSP directives', async ({ harness }) => {
  const response = await harness.app.request('/', { headers: { Host: "evil; script-src 'unsafe-inline'" } });
  const policy = response.headers.get('content-security-policy') ?? '';
  assert.not.match(policy, /unsafe-inline/, 'host text is not copied into the policy');
});

files('/socket.io/ paths are not served as files', async ({ harness }) => {
  // With Socket.IO attached these never reach the app; without it the app refuses them.
  const response = await harness.app.request('/socket.io/?EIO=4&transport=polling');
  assert.is(response.status, 404, 'status');
  assert.match(response.headers.get('content-type') ?? '', /application\/json/, 'JSON error');
});

files('HEAD works without a body', async ({ harness }) => {
  const response = await harness.app.request('/dist/app.js', { method: 'HEAD' });
  assert.is(response.status, 200, 'status');
  assert.is(await response.text(), '', 'empty body');
});

files.run();

// ---

const paths = suite('safeStaticPath');

paths('maps / to the page and keeps plain paths', () => {
  assert.is(safeStaticPath('/'), '/index.html', 'root');
  assert.is(safeStaticPath('/dist/app.js'), '/dist/app.js', 'plain path');
  assert.is(safeStaticPath('/dist/uPlot.min.css'), '/dist/uPlot.min.css', 'dots inside a name');
});

paths('refuses every traversal form', () => {
  for (const path of [...TRAVERSALS, '/..\\secret.txt', '/./index.html', '/dist/']) assert.is(safeStaticPath(path), null, path);
  assert.is(safeStaticPath('/%zz'), null, 'malformed escape');
});

paths('default root is the repository static folder', () => {
  const root = defaultStaticRoot();
  assert.is(root, join(repositoryRoot, 'static'), 'found from the module location');
  assert.ok(existsSync(root), 'exists');
});

paths.run();
