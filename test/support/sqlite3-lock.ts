/**
 * Holds SQLite's write lock on a file from another process (the sqlite3 command-line shell), for
 * tests of what the store does while a lock belongs to someone else.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SQLITE3 = '/usr/bin/sqlite3';

export function skipWithoutSqlite3(): boolean {
  if (existsSync(SQLITE3)) return false;
  if (process.env.SKYPULSE_REQUIRE_SQLITE3 === '1') throw new Error(`${SQLITE3} is required (SKYPULSE_REQUIRE_SQLITE3=1) but missing.`);
  console.log(`skipped: ${SQLITE3} not found (install the sqlite3 package to run the lock test)`);
  return true;
}

export interface LockHolder {
  /** Resolves once the other process holds the write lock. */
  locked: Promise<void>;
  /** Whether the holder announced its COMMIT (printed just before it). */
  releasing: () => boolean;
  exited: Promise<number | null>;
}

/** Holds a write lock from another process for `seconds`. */
export function holdWriteLock(path: string, seconds: number): LockHolder {
  const child = spawn(SQLITE3, [path], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(`.timeout 0\nBEGIN IMMEDIATE;\n.shell echo locked\n.shell sleep ${seconds}\n.shell echo releasing\nCOMMIT;\n`);
  let output = '';
  const locked = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sqlite3 did not take the lock within 10 s; output: ${output}`)), 10_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('locked')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  });
  // 'close' also waits for the `sleep` the shell started, which keeps the pipes open.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { locked, releasing: () => output.includes('releasing'), exited };
}
