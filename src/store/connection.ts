/**
 * Opens the libSQL client. This is the only module that handles URLs, pragmas and the busy timeout.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Client } from '@libsql/client';
import { StoreError } from './errors.ts';
import { loadDriver, transportOf, type DatabaseTransport, type ModuleImporter } from './driver.ts';

export interface ConnectionOptions {
  url: string;
  authToken?: string;
  /** Busy timeout of every connection to a `file:` database, in milliseconds. */
  busyTimeoutMs: number;
  /** Whether to create the parent folder of a `file:` path (writers only). */
  createFolder: boolean;
  /** Page cache of a `file:` connection, in KiB. @default CACHE_KIB */
  cacheKib?: number;
  /** Maximum wait for the probe query of a remote server, in milliseconds. @default 10000 */
  probeTimeoutMs?: number;
  importer?: ModuleImporter;
}

export interface Connection {
  client: Client;
  transport: DatabaseTransport;
  /** Filesystem path of a `file:` database, or null for a server or `:memory:`. */
  path: string | null;
}

/** Pages written to the WAL before SQLite copies them back into the database file. */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;
/** Page cache of the reading connection, in KiB (negative values in PRAGMA cache_size mean KiB). */
export const CACHE_KIB = 32 * 1024;

/**
 * Opens `url`, runs a probe query and, for `file:` databases, sets WAL mode and the per-connection
 * pragmas. Throws a `StoreError` that names DATABASE_URL when the database cannot be reached.
 */
export async function openConnection(options: ConnectionOptions): Promise<Connection> {
  const { url, authToken, busyTimeoutMs, createFolder, probeTimeoutMs = 10_000 } = options;
  const transport = transportOf(url);
  const path = transport === 'file' ? filePath(url) : null;
  if (path && createFolder) mkdirSync(dirname(path), { recursive: true });

  const createClient = await loadDriver(transport, options.importer);
  let client: Client;
  try {
    // A file database gets one connection. Every call into the native engine runs synchronously
    // on this thread, so more connections would add no parallelism. One connection keeps the
    // per-connection pragmas below in force, and our own calls never wait for each other's locks.
    // `timeout` sets busy_timeout on every connection the pool opens, including replacements.
    client = createClient(
      transport === 'file' ? { url, concurrency: 1, timeout: busyTimeoutMs } : { url, authToken },
    );
  } catch (error) {
    throw connectError(url, error);
  }

  try {
    await withTimeout(client.execute('SELECT 1'), probeTimeoutMs, `no answer within ${probeTimeoutMs} ms`);
    if (transport === 'file') await applyFilePragmas(client, path, options.cacheKib);
  } catch (error) {
    client.close();
    throw connectError(url, error);
  }
  return { client, transport, path };
}

/** Sets the pragmas a writer relies on; safe to call again after the pool replaced a connection. */
export async function applyFilePragmas(client: Client, path: string | null, cacheKib = CACHE_KIB): Promise<void> {
  if (path) {
    // journal_mode is stored in the file, so readers in other processes see WAL too.
    const mode = await client.execute('PRAGMA journal_mode=WAL');
    const journal = String(mode.rows[0]?.[0] ?? '');
    if (journal !== 'wal') throw new Error(`journal_mode is ${JSON.stringify(journal)} after setting WAL`);
  }
  await client.execute('PRAGMA synchronous=NORMAL');
  await client.execute(`PRAGMA wal_autocheckpoint=${WAL_AUTOCHECKPOINT_PAGES}`);
  await client.execute(`PRAGMA cache_size=-${cacheKib}`);
  await client.execute('PRAGMA temp_store=MEMORY');
}

/** The filesystem path of a `file:` URL, or null for `file::memory:`. */
export function filePath(url: string): string | null {
  let rest = url.slice('file:'.length);
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  if (rest === ':memory:' || rest === '') return null;
  if (rest.startsWith('//')) {
    // file://localhost/abs or file:///abs; other hosts are rejected by the driver.
    const slash = rest.indexOf('/', 2);
    rest = slash >= 0 ? rest.slice(slash) : '';
  }
  return decodeURIComponent(rest);
}

/** The URL without query parameters, which may carry a token. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  const bare = query >= 0 ? `${url.slice(0, query)}?…` : url;
  return bare.replace(/\/\/[^/@]*@/, '//…@');
}

function connectError(url: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const reason = describe(error);
  return new StoreError(
    'CONNECT_FAILED',
    `Cannot open the database at DATABASE_URL=${JSON.stringify(redactUrl(url))}: ${reason}. ` +
      'Check that the file: path is writable, or that the server is reachable and DATABASE_AUTH_TOKEN is valid.',
    { cause: error },
  );
}

/** Joins the message of `error` with those of its causes, because "fetch failed" alone hides the reason. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 4; depth += 1) {
    const message = current instanceof Error ? current.message : String(current);
    if (!parts.some((part) => part.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
