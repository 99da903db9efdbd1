import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { repositoryRoot } from '../support/service-process.ts';

// dockerfile-utils is CommonJS; createRequire loads it the same way on Node and Deno.
const { validate } = createRequire(import.meta.url)('dockerfile-utils') as {
  validate(content: string): Array<{ message: string; severity?: number; range: { start: { line: number } } }>;
};

const dockerfile = suite('Dockerfile');
const text = readFileSync(join(repositoryRoot, 'Dockerfile'), 'utf8');

dockerfile('lints without errors or warnings', () => {
  const problems = validate(text).map((item) => `line ${item.range.start.line + 1}: ${item.message}`);
  assert.equal(problems, [], 'dockerfile-utils diagnostics');
});

dockerfile('runs as non-root with a health check and an exec-form CMD', () => {
  const finalStage = text.slice(text.lastIndexOf('\nFROM '));
  assert.match(finalStage, /^FROM node:20-bookworm/m, 'final stage uses a glibc Node 20 image');
  assert.not.match(text, /^FROM \S*alpine/im, 'no Alpine image, whose musl libc the libSQL addon does not load');
  assert.match(finalStage, /^USER (?!root)\S+/m, 'final stage switches to a non-root user');
  assert.match(finalStage, /^HEALTHCHECK /m, 'final stage declares a HEALTHCHECK');
  assert.match(finalStage, /^CMD \["node", "dist\/server\.js"\]/m, 'CMD execs node directly so SIGTERM reaches it');
  assert.match(text, /npm prune --omit=dev|npm ci --omit=dev/, 'production image has production dependencies only');
});

dockerfile.run();
