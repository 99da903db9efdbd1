/**
 * Loads the libSQL client module that fits a DATABASE_URL. Remote URLs use the pure-JavaScript
 * HTTP or WebSocket client, so they work even where the native binding is missing; `file:` URLs
 * need the native binding, and a failure to load it becomes one clear start-up error.
 */
import process from 'node:process';
import type { Client, Config } from '@libsql/client';
import { StoreError } from './errors.ts';

export type CreateClient = (config: Config) => Client;

/** Imports a module by specifier; tests pass their own to simulate a missing binding. */
export type ModuleImporter = (specifier: string) => Promise<{ createClient: CreateClient }>;

// Literal specifiers so that bundlers and Deno's module graph see every candidate.
const defaultImporter: ModuleImporter = (specifier) => {
  switch (specifier) {
    case '@libsql/client/sqlite3':
      return import('@libsql/client/sqlite3');
    case '@libsql/client/http':
      return import('@libsql/client/http');
    case '@libsql/client/ws':
      return import('@libsql/client/ws');
    default:
      return Promise.reject(new Error(`Unknown libSQL client module ${JSON.stringify(specifier)}.`));
  }
};

/** The URL scheme family: `file` for the embedded engine, `http` or `ws` for a server. */
export type DatabaseTransport = 'file' | 'http' | 'ws';

export function transportOf(url: string): DatabaseTransport {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  if (scheme === 'file') return 'file';
  if (scheme === 'ws' || scheme === 'wss') return 'ws';
  // `libsql://` goes over HTTPS, which needs no long-lived socket and works through proxies.
  return 'http';
}

const MODULES: Record<DatabaseTransport, string> = {
  file: '@libsql/client/sqlite3',
  http: '@libsql/client/http',
  ws: '@libsql/client/ws',
};

/** Returns `createClient` for `transport`, or throws a `StoreError` naming the platform. */
export async function loadDriver(transport: DatabaseTransport, importer: ModuleImporter = defaultImporter): Promise<CreateClient> {
  try {
    const module = await importer(MODULES[transport]);
    return module.createClient;
  } catch (error) {
    if (transport !== 'file') throw error;
    throw new StoreError(
      'NATIVE_BINDING_MISSING',
      `The libSQL native binding for ${platformName()} could not be loaded, so a file: DATABASE_URL cannot be opened ` +
        `(${(error as Error).message.split('\n')[0]}). ` +
        'Supported platforms: Linux x64 and arm64 with glibc (Debian or Ubuntu base images such as node:20-bookworm-slim), ' +
        'Linux x64 and arm64 with musl (Alpine) when the matching @libsql/linux-*-musl package is installed, macOS x64 and arm64, and Windows x64. ' +
        'Install dependencies on the target platform itself with optional dependencies included, or point DATABASE_URL at a libSQL server.',
      { cause: error },
    );
  }
}

/** The platform as the native packages name it, such as `linux-x64-gnu`. */
export function platformName(): string {
  const base = `${process.platform}-${process.arch}`;
  if (process.platform !== 'linux') return base;
  return `${base}-${isGlibc() ? 'gnu' : 'musl'}`;
}

function isGlibc(): boolean {
  try {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return Boolean(report?.header?.glibcVersionRuntime);
  } catch {
    // Runtimes without process reports are assumed to be glibc, the common case.
    return true;
  }
}
