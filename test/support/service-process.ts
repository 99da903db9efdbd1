/**
 * Starts the real entry point in a child process on the runtime running the tests: Node runs
 * the esbuild output `dist/server.js`, Deno runs `src/server.ts` with the documented flags.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runtimeName } from '../../src/runtime/index.ts';

export const repositoryRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const DENO_FLAGS = ['--allow-net', '--allow-read', '--allow-write', '--allow-env', '--allow-sys', '--allow-ffi'];

/** Command and arguments that run the entry point with `args` on the current runtime. */
export function entryCommand(args: string[] = []): { command: string; args: string[] } {
  if (runtimeName === 'deno') {
    return { command: process.execPath, args: ['run', ...DENO_FLAGS, join(repositoryRoot, 'src/server.ts'), ...args] };
  }
  return { command: process.execPath, args: [join(repositoryRoot, 'dist/server.js'), ...args] };
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly baseUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Log lines parsed as JSON (lines that are not JSON are skipped). */
  logLines(): Array<Record<string, unknown>>;
  /** Sends `signal` and resolves with the exit code and the time it took, in ms. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsedMs: number }>;
}

export interface StartOptions {
  env?: Record<string, string>;
  args?: string[];
  /** Runs this instead of the entry point, such as a shell running an npm script's command. */
  command?: { command: string; args: string[] };
  /** Time allowed for the "listening" log line. */
  timeoutMs?: number;
}

/** Creates a temporary folder removed by the returned function. */
export function temporaryFolder(prefix = 'skypulse-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Starts the service and waits for its "listening" log line. */
export function startServiceProcess({ env = {}, args = [], command: launch, timeoutMs = 20_000 }: StartOptions = {}): Promise<ServiceProcess> {
  const { command, args: fullArgs } = launch ?? entryCommand(args);
  const child = spawn(command, fullArgs, {
    cwd: repositoryRoot,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );

  const logLines = () =>
    output.split('\n').flatMap((line) => {
      try {
        return line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });

  return new Promise((resolveStart, rejectStart) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStart(new Error(`service did not log "listening" within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    void exited.then(({ code, signal }) => {
      clearTimeout(deadline);
      rejectStart(new Error(`service exited (code ${code}, signal ${signal}) before listening; output:\n${output}`));
    });
    const poll = setInterval(() => {
      const listening = logLines().find((line) => line.msg === 'listening');
      if (!listening) return;
      clearInterval(poll);
      clearTimeout(deadline);
      const port = Number(listening.port);
      resolveStart({
        child,
        port,
        baseUrl: `http://127.0.0.1:${port}`,
        output: () => output,
        logLines,
        async stop(signal = 'SIGTERM') {
          const started = performance.now();
          // process.kill rather than child.kill: Deno 2.9 reports the exit of a child it signalled
          // through child.kill as that signal even when the child exited with code 0.
          if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
          const result = await exited;
          return { ...result, elapsedMs: performance.now() - started };
        },
      });
    }, 25);
    void exited.then(() => clearInterval(poll));
  });
}
