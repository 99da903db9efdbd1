/**
 * Locates the real data sets (Jetstream captures, VADER corpora) that live outside the
 * repository. Tests that need a missing file are skipped with a message, unless
 * SKYPULSE_REQUIRE_SHARED_DATA=1 (set by CI), which turns the absence into a failure.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Folder searched for data files: $SKYPULSE_SHARED_DATA, else ../shared/data beside the repository. */
export const sharedDataFolder: string = process.env.SKYPULSE_SHARED_DATA ?? join(repositoryRoot, '..', 'shared', 'data');

/** Absolute path of a data file, or null when it is missing. */
export function sharedDataPath(name: string): string | null {
  const path = join(sharedDataFolder, name);
  return existsSync(path) ? path : null;
}

/**
 * Returns true (after printing why) when `name` is missing and the caller should skip; throws
 * instead when SKYPULSE_REQUIRE_SHARED_DATA=1.
 */
export function skipWithoutSharedData(name: string): boolean {
  if (sharedDataPath(name)) return false;
  const reason = `${name} not found in ${sharedDataFolder} (set SKYPULSE_SHARED_DATA to its folder)`;
  if (process.env.SKYPULSE_REQUIRE_SHARED_DATA === '1') {
    throw new Error(`Required test data missing: ${reason}.`);
  }
  console.log(`skipped: ${reason}`);
  return true;
}

/** Path of a data file that must exist; throws when it is missing. */
export function requireSharedData(name: string): string {
  const path = sharedDataPath(name);
  if (!path) throw new Error(`Test data missing: ${name} in ${sharedDataFolder}.`);
  return path;
}
