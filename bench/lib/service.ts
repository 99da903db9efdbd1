/**
 * Starts the service under test as the real entry point in its own process: `node
 * dist/server.js` or `deno run <flags> src/server.ts`, optionally pinned to CPUs with taskset,
 * and waits for its "listening" log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DENO_BINARY, DENO_FLAGS, repositoryRoot } from './paths.ts';
import { canPin, readRssBytes } from './proc.ts';
import { findInspectorUrl, INSPECT_FLAG, InspectorProfiler } from './profiler.ts';

export type RuntimeName = 'node' | 'deno';

export interface ServiceOptions {
  runtime: RuntimeName;
  /** Variables added to the environment; JETSTREAM_URL must point at a server on 127.0.0.1. */
  env: Record<string, string>;
  /** CPU list for `taskset -c`, such as "1"; unset leaves the process unpinned. */
  cpus?: string;
  /** Extra runtime flags placed before the script. */
  runtimeFlags?: string[];
  /** Open the V8 inspector on a free loopback port so `profiler()` can record a CPU profile. */
  inspect?: boolean;
  timeoutMs?: number;
  /**
   * Script under bench/workers/ to run in place of the service, such as a peer server; it must
   * print the service's "listening" log line.
   */
  script?: string;
}

export interface ServiceUnderTest {
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  readonly databaseFolder: string;
  /** Log lines at level error (50) or above seen so far. */
  errorLines(): string[];
  /** The last 64 KB of output, for error messages. */
  tail(): string;
  rssBytes(): number | null;
  /** Connects to the inspector; the service must have been started with `inspect: true`. */
  profiler(): Promise<InspectorProfiler>;
  /** GET a JSON path on the service. */
  getJson<T>(path: string): Promise<T>;
  /** Sends SIGTERM, waits for exit (SIGKILL after `timeoutMs`) and removes the database folder. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Command line that runs the service entry point on `runtime`. */
export function serviceCommand(runtime: RuntimeName, runtimeFlags: string[] = [], args: string[] = [], script?: string): string[] {
  if (script !== undefined) {
    const path = join(repositoryRoot, 'bench/workers', script);
    if (runtime === 'deno') return [DENO_BINARY, 'run', ...DENO_FLAGS, ...runtimeFlags, path, ...args];
    return [process.execPath, ...runtimeFlags, '--import', 'tsx', path, ...args];
  }
  if (runtime === 'deno') return [DENO_BINARY, 'run', ...DENO_FLAGS, ...runtimeFlags, join(repositoryRoot, 'src/server.ts'), ...args];
  return [process.execPath, ...runtimeFlags, join(repositoryRoot, 'dist/server.js'), ...args];
}

/** Prefixes `command` with taskset when `cpus` is given and the machine allows pinning. */
export function pinned(command: string[], cpus: string | undefined): string[] {
  return cpus === undefined || !canPin() ? command : ['taskset', '-c', cpus, ...command];
}

export async function startService({ runtime, env, cpus, runtimeFlags = [], inspect = false, timeoutMs = 30_000, script }: ServiceOptions): Promise<ServiceUnderTest> {
  if (script === undefined && !/^ws:\/\/127\.0\.0\.1:\d+\//.test(env.JETSTREAM_URL ?? '')) {
    throw new Error(`JETSTREAM_URL=${JSON.stringify(env.JETSTREAM_URL)} is not a server on 127.0.0.1; the benchmark never reaches a public endpoint.`);
  }
  const databaseFolder = mkdtempSync(join(tmpdir(), 'skypulse-bench-'));
  const flags = inspect ? [...runtimeFlags, INSPECT_FLAG] : runtimeFlags;
  const [command, ...args] = pinned(serviceCommand(runtime, flags, [], script), cpus);
  const child = spawn(command!, args, {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      DENO_NO_UPDATE_CHECK: '1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: `file:${join(databaseFolder, 'skypulse.db')}`,
      // npm start, deno task start and the Dockerfile set it too, so the service runs as deployed.
      MALLOC_ARENA_MAX: '2',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = collectLog(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const removeFolder = () => rmSync(databaseFolder, { recursive: true, force: true });
  let port: number;
  try {
    port = await waitForListening(log, exited, timeoutMs, () => child.kill('SIGKILL'));
  } catch (error) {
    await exited;
    removeFolder();
    throw error;
  }
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    pid: child.pid!,
    port,
    baseUrl,
    databaseFolder,
    errorLines: () => [...log.errors],
    tail: () => log.tail,
    rssBytes: () => readRssBytes(child.pid!),
    profiler() {
      if (!log.inspectorUrl) return Promise.reject(new Error('the service was started without inspect: true, so it has no inspector to profile with.'));
      return InspectorProfiler.connect(log.inspectorUrl);
    },
    async getJson<T>(path: string) {
      const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`GET ${path} returned ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    },
    async stop(stopTimeoutMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      const result = await exited;
      clearTimeout(timer);
      removeFolder();
      return result;
    },
  };
}

interface LogCollector {
  tail: string;
  errors: string[];
  listeningPort: number | null;
  inspectorUrl: string | null;
}

/** Reads JSON log lines as they arrive, keeping only what the harness needs. */
function collectLog(child: ChildProcess): LogCollector {
  const log: LogCollector = { tail: '', errors: [], listeningPort: null, inspectorUrl: null };
  let partial = '';
  const onChunk = (chunk: string) => {
    log.tail = (log.tail + chunk).slice(-65_536);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) inspectLine(log, line);
  };
  child.stdout!.setEncoding('utf8').on('data', onChunk);
  child.stderr!.setEncoding('utf8').on('data', onChunk);
  return log;
}

function inspectLine(log: LogCollector, line: string): void {
  if (!line.startsWith('{')) {
    log.inspectorUrl ??= findInspectorUrl(line);
    // Output that is not a log line (a crash trace, a runtime warning) counts as an error.
    if (/error/i.test(line)) log.errors.push(line);
    return;
  }
  let entry: { level?: number; msg?: string; port?: number };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return;
  }
  if ((entry.level ?? 0) >= 50) log.errors.push(line);
  if (entry.msg === 'listening' && typeof entry.port === 'number') log.listeningPort = entry.port;
}

function waitForListening(
  log: LogCollector,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  timeoutMs: number,
  kill: () => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (log.listeningPort === null) return;
      finish();
      resolve(log.listeningPort);
    }, 20);
    const deadline = setTimeout(() => {
      finish();
      kill();
      reject(new Error(`service did not log "listening" within ${timeoutMs} ms; output:\n${log.tail}`));
    }, timeoutMs);
    void exited.then(({ code, signal }) => {
      finish();
      reject(new Error(`service exited (code ${code}, signal ${signal}) before listening; output:\n${log.tail}`));
    });
    function finish() {
      clearInterval(poll);
      clearTimeout(deadline);
    }
  });
}
