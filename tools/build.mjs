// Builds dist/server.js (with its worker threads, dist/store-write-worker.js and dist/firehose-scoring-worker.js) for Node and the dashboard bundle static/dist/app.js (plus app.css, from
// the CSS the dashboard imports) with esbuild. Server packages stay external: socket.io is
// CommonJS and @libsql loads a native addon at run time. The dashboard bundles everything.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

// esbuild drops the `with { type: 'json' }` attribute from external imports, and Node then
// rejects the bare JSON import, so JSON data from packages (emoji names) is bundled instead.
const bundleJsonFromPackages = {
  name: 'bundle-json-from-packages',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\.json$/ }, (args) => {
      if (args.path.startsWith('.') || args.path.startsWith('/')) return undefined;
      const require = createRequire(join(args.resolveDir, 'index.js'));
      return { path: require.resolve(args.path) };
    });
  },
};

// The store's write thread and the scoring thread are entry points too: a worker runs a module
// file of its own.
const serverEntries = [
  ['src/server.ts', 'dist/server.js'],
  ['src/store/write-worker.ts', 'dist/store-write-worker.js'],
  ['src/firehose/scoring-worker.ts', 'dist/firehose-scoring-worker.js'],
];
for (const [entry, outfile] of serverEntries) await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  plugins: [bundleJsonFromPackages],
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
