/**
 * The one place where Node and Deno differ. Everything else in `src/` uses Web-standard APIs,
 * `node:` built-ins that both runtimes implement, or values passed in from here.
 */
import process from 'node:process';

/** Name of the JavaScript runtime executing the service. */
export type RuntimeName = 'node' | 'deno';

interface DenoGlobal {
  version: { deno: string };
}

// Deno also defines `process`, so Deno is checked first.
const deno = (globalThis as { Deno?: DenoGlobal }).Deno;

export const runtimeName: RuntimeName = deno ? 'deno' : 'node';

/**
 * Whether the store writes from a worker thread when DATABASE_WRITE_THREAD is `auto`.
 * Under Deno 2.9.6 the worker kept the native memory of finished SQLite statements until a
 * late garbage collection: a 10-minute soak grew by 12%, and 7,000 small batches by 96 MB,
 * against 23 MB without the thread. Node's worker released it as it went.
 */
export const writeThreadByDefault: boolean = !deno;

/** Version of the runtime, such as `20.20.2` for Node or `2.9.6` for Deno. */
export const runtimeVersion: string = deno ? deno.version.deno : process.versions.node;

/** Environment variables of the process. */
export function readEnvironment(): Record<string, string | undefined> {
  return process.env;
}

/** Command-line arguments after the script path. */
export function commandArguments(): string[] {
  return process.argv.slice(2);
}

/** Signals that start a graceful shutdown. */
export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

/** Calls `handler` once for the first SIGTERM or SIGINT; returns a function that removes it. */
export function onShutdownSignal(handler: (signal: ShutdownSignal) => void): () => void {
  let fired = false;
  const listener = (signal: ShutdownSignal) => {
    if (fired) return;
    fired = true;
    handler(signal);
  };
  process.on('SIGTERM', listener);
  process.on('SIGINT', listener);
  return () => {
    process.off('SIGTERM', listener);
    process.off('SIGINT', listener);
  };
}

/** Ends the process with `code`. */
export function exitProcess(code: number): never {
  process.exit(code);
}

/** Sets the exit code without ending the process, so pending output is written first. */
export function setExitCode(code: number): void {
  process.exitCode = code;
}

/** Id of this process. */
export function processId(): number {
  return process.pid;
}

/** Resident set size of the process in bytes. */
export function residentMemoryBytes(): number {
  return process.memoryUsage().rss;
}

/** Writes text to standard output and standard error without a logger. */
export const stdout = (text: string): void => void process.stdout.write(text);
export const stderr = (text: string): void => void process.stderr.write(text);
