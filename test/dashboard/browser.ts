/**
 * Real Chromium for the dashboard tests, driven by playwright-core. When /usr/bin/chromium (or
 * $SKYPULSE_CHROMIUM) is missing the tests are skipped with a printed reason, unless
 * SKYPULSE_REQUIRE_BROWSER=1 (set by CI), which turns the absence into a failure.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runtimeName } from '../../src/runtime/index.ts';
import { repositoryRoot } from '../support/service-process.ts';

export const chromiumPath = process.env.SKYPULSE_CHROMIUM ?? '/usr/bin/chromium';

/** Folder for screenshots of browser tests; git ignores it. */
export const screenshotFolder = join(repositoryRoot, 'test-output');

// Keeps Chromium off the network and away from background work: no QUIC, no component
// updates, no sync, no first-run pages.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Returns true (after printing why) when Chromium is missing and the caller should skip;
 * throws instead when SKYPULSE_REQUIRE_BROWSER=1.
 */
export function skipWithoutBrowser(): boolean {
  if (existsSync(chromiumPath)) return false;
  const reason = `Chromium not found at ${chromiumPath} (install Debian's chromium or set SKYPULSE_CHROMIUM)`;
  if (process.env.SKYPULSE_REQUIRE_BROWSER === '1') throw new Error(`Required browser missing: ${reason}.`);
  console.log(`skipped: ${reason}`);
  return true;
}

/** Launches headless Chromium. */
export async function launchBrowser(): Promise<Browser> {
  if (runtimeName === 'deno' && process.env.__IS_WSL_TEST__ === undefined) {
    // NOTE: playwright-core 1.65 bundles the is-wsl package, which at import reads
    // /proc/sys/fs/binfmt_misc/WSLInterop; Deno allows that path only with --allow-all. This
    // variable makes is-wsl postpone the check, and only playwright's "open a URL in the
    // desktop browser" helper, which these tests never call, would run it.
    process.env.__IS_WSL_TEST__ = '1';
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions and dialogs seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** Opens a page in a fresh context and records every error, exception and dialog it shows. */
export async function openPage(
  browser: Browser,
  { width = 1280, height = 900, colorScheme = 'light' as 'light' | 'dark' } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog (${dialog.type()}): ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { page, context, problems, close: () => context.close() };
}

/** Saves a screenshot of `page` as test-output/<name>.png. */
export async function saveScreenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(screenshotFolder, { recursive: true });
  await page.screenshot({ path: join(screenshotFolder, `${name}.png`), fullPage });
}

/**
 * Waits until `predicate` (run in the page) returns a truthy value; on timeout the error names
 * what was awaited, instead of Playwright's generic message.
 */
export async function waitInPage<A extends string | number | null>(
  page: Page,
  description: string,
  predicate: (argument: A) => unknown,
  argument: A,
  timeoutMs = 10_000,
): Promise<void> {
  try {
    await page.waitForFunction<unknown, unknown>(predicate as (value: unknown) => unknown, argument, { timeout: timeoutMs, polling: 100 });
  } catch (error) {
    throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}: ${(error as Error).message.split('\n')[0]}`);
  }
}
