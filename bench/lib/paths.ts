/** Locations the harness uses: the repository, the Deno binary, data files and output folders. */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Deno pinned by tools/deno/package.json, kept out of the project's own node_modules. */
export const DENO_BINARY = join(repositoryRoot, 'tools/deno/node_modules/.bin/deno');

/** Permissions the service needs under Deno; the same flags as the `start` task in deno.json. */
export const DENO_FLAGS = ['--allow-net', '--allow-read', '--allow-write', '--allow-env', '--allow-sys', '--allow-ffi'];

/** Output folder for quick reports, raw results and CPU profiles; ignored by git. */
export const OUTPUT_FOLDER = join(repositoryRoot, 'test-output');

/** Folder with the shared data sets: $SKYPULSE_SHARED_DATA, else ../shared/data beside the repository. */
export const sharedDataFolder: string = process.env.SKYPULSE_SHARED_DATA ?? join(repositoryRoot, '..', 'shared', 'data');

/** Formats a command line for the published record: `node` for this Node binary, paths relative to the repository. */
export function displayCommand(parts: readonly string[]): string {
  return parts
    .map((part) => (part === process.execPath ? 'node' : part.startsWith(`${repositoryRoot}/`) ? part.slice(repositoryRoot.length + 1) : part))
    .join(' ');
}
