/** Description of the machine and software a benchmark ran on, for the published record. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { DENO_BINARY, repositoryRoot } from './paths.ts';
import { canPin } from './proc.ts';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  deno: string;
  /** Versions of the packages whose cost the benchmarks measure. */
  packages: Record<string, string>;
  /** `ulimit -n` of the harness, which bounds the sockets one client process may open. */
  openFileLimit: string;
  /** Whether processes were pinned to CPUs with taskset. */
  pinning: boolean;
}

const MEASURED_PACKAGES = ['socket.io', 'socket.io-client', 'ws', '@libsql/client', 'hono', '@hono/node-server', '@skyware/jetstream', 'autocannon'];

export function describeMachine(): MachineInfo {
  const processors = cpus();
  const packages: Record<string, string> = {};
  for (const name of MEASURED_PACKAGES) {
    try {
      const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      packages[name] = manifest.version;
    } catch {
      packages[name] = 'not installed';
    }
  }
  return {
    cores: processors.length,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    deno: denoVersion(),
    packages,
    openFileLimit: shellOutput('ulimit -n'),
    pinning: canPin(),
  };
}

function denoVersion(): string {
  try {
    const output = execFileSync(DENO_BINARY, ['--version'], { env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' }, encoding: 'utf8' });
    return output.split('\n', 1)[0]!.replace(/^deno /, '').replace(/ \(.*\)$/, '');
  } catch {
    return 'not installed';
  }
}

function shellOutput(command: string): string {
  try {
    return execFileSync('sh', ['-c', command], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
