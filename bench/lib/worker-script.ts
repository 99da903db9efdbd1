/**
 * Runs a benchmark script from bench/workers/ on the runtime under test (`node --import tsx`
 * or `deno run`), optionally pinned with taskset, and returns the JSON object it prints as its
 * last line of standard output.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DENO_BINARY, DENO_FLAGS, repositoryRoot } from './paths.ts';
import { pinned, type RuntimeName } from './service.ts';

export interface WorkerScriptOptions {
  runtime: RuntimeName;
  /** Path under bench/workers/, such as `scoring-loop.ts`. */
  script: string;
  args: string[];
  cpus?: string;
  timeoutMs: number;
  /** Called with each line the script writes to standard error (its progress). */
  onStderrLine?(line: string): void;
  /** Called with the child's pid once it runs, so its CPU can be tracked. */
  onStart?(pid: number): void;
}

/** Builds the command line of a worker script, for running it and for the published record. */
export function workerCommand(runtime: RuntimeName, script: string, args: string[], cpus?: string): string[] {
  const path = join(repositoryRoot, 'bench/workers', script);
  const command = runtime === 'deno' ? [DENO_BINARY, 'run', ...DENO_FLAGS, path, ...args] : [process.execPath, '--import', 'tsx', path, ...args];
  return pinned(command, cpus);
}

export function runWorkerScript<T>({ runtime, script, args, cpus, timeoutMs, onStderrLine, onStart }: WorkerScriptOptions): Promise<T> {
  const [command, ...commandArgs] = workerCommand(runtime, script, args, cpus);
  return new Promise((resolve, reject) => {
    const child = spawn(command!, commandArgs, {
      cwd: repositoryRoot,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8192);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onStderrLine?.(line);
    });
    if (child.pid !== undefined) onStart?.(child.pid);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${script} on ${runtime} exited (code ${code}, signal ${signal})${signal === 'SIGKILL' ? ` after the ${timeoutMs} ms timeout` : ''}:\n${stderr}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} on ${runtime} printed no JSON result; last line: ${JSON.stringify(last.slice(0, 500))}\n${stderr}`));
      }
    });
  });
}
