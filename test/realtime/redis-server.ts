/**
 * Starts a throw-away redis-server on a free 127.0.0.1 port, without persistence. Tests that
 * need one skip with a printed reason when the binary is missing, unless
 * SKYPULSE_REQUIRE_REDIS=1, which turns the absence into a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort, withTimeout } from './helpers.ts';

/** Path of redis-server: $REDIS_SERVER, else the Debian package's. */
export const redisServerPath = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Returns true (after printing why) when redis-server is missing and the caller should skip. */
export function skipWithoutRedis(): boolean {
  if (existsSync(redisServerPath)) return false;
  const reason = `redis-server not found at ${redisServerPath} (install redis-server or set REDIS_SERVER)`;
  if (process.env.SKYPULSE_REQUIRE_REDIS === '1') throw new Error(`Required redis-server missing: ${reason}.`);
  console.log(`skipped: ${reason}`);
  return true;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    redisServerPath,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await withTimeout(
    new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (child.exitCode !== null) {
          clearInterval(poll);
          reject(new Error(`redis-server exited early:\n${output}`));
        } else if (output.includes('Ready to accept connections')) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    }),
    10_000,
    `redis-server on port ${port} (output: ${output})`,
  );

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
      await withTimeout(exited, 10_000, 'redis-server to exit');
    },
  };
}
