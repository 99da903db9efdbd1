/** Runs the autocannon CLI (a maintained HTTP load tool) in its own process and reads its JSON result. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from './paths.ts';
import { pinned } from './service.ts';

const AUTOCANNON_CLI = join(repositoryRoot, 'node_modules/autocannon/autocannon.js');

export interface AutocannonOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** CPU list for taskset, so the load tool and the service do not share a core. */
  cpus?: string;
  /** Called with the child's pid once it runs, so its CPU can be tracked. */
  onStart?(pid: number): void;
}

export interface AutocannonResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** Builds the exact command line, for running and for the published record. */
export function autocannonCommand({ url, connections, durationSeconds, cpus }: AutocannonOptions): string[] {
  return pinned([process.execPath, AUTOCANNON_CLI, '--json', '--no-progress', '-c', String(connections), '-d', String(durationSeconds), url], cpus);
}

export function runAutocannon(options: AutocannonOptions): Promise<AutocannonResult> {
  const [command, ...args] = autocannonCommand(options);
  return new Promise((resolve, reject) => {
    const child = execFile(command!, args, { timeout: (options.durationSeconds + 60) * 1000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`autocannon failed: ${error.message}\n${stderr}`));
      let parsed: {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
        timeouts: number;
      };
      try {
        parsed = JSON.parse(stdout) as typeof parsed;
      } catch {
        return reject(new Error(`autocannon printed no JSON result:\n${stdout.slice(0, 2000)}\n${stderr.slice(0, 2000)}`));
      }
      resolve({
        requestsPerSecond: parsed.requests.average,
        latencyP50Ms: parsed.latency.p50,
        latencyP99Ms: parsed.latency.p99,
        requests: parsed.requests.total,
        non2xx: parsed.non2xx,
        errors: parsed.errors,
        timeouts: parsed.timeouts,
      });
    });
    if (child.pid !== undefined) options.onStart?.(child.pid);
  });
}
