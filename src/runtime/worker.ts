/**
 * Starts a module as a worker thread. Both runtimes implement `node:worker_threads`, and Deno
 * runs TypeScript workers as they are. Node runs TypeScript sources only through tsx (tests and
 * `npm run dev`), whose loader a worker does not inherit, so such a worker first registers tsx
 * and then imports the module. The bundle in `dist/` starts plain JavaScript workers.
 */
import { Worker } from 'node:worker_threads';
import { runtimeName } from './index.ts';

export function startWorker(moduleUrl: URL, workerData: unknown): Worker {
  if (runtimeName === 'node' && moduleUrl.pathname.endsWith('.ts')) {
    // Resolved here, because an evaluated worker would resolve a bare name from the working folder.
    const tsxApi = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
    return new Worker(bootstrap, { eval: true, workerData });
  }
  return new Worker(moduleUrl, { workerData });
}
