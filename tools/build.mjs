// Builds dist/server.js for Node and the dashboard bundle static/app.js with esbuild.
// Packages stay external: socket.io is CommonJS and @libsql loads a native addon at run time.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/server.ts'],
  outfile: 'dist/server.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

const dashboard = 'static/src/main.ts';
const { existsSync } = await import('node:fs');
if (existsSync(dashboard)) {
  await build({
    entryPoints: [dashboard],
    outfile: 'static/dist/app.js',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
}
