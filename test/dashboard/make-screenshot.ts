/**
 * Makes docs/screenshot.png, the dashboard with an hour of history and a live stream:
 *
 *   npm run build && npx tsx test/dashboard/make-screenshot.ts
 *
 * The benchmark workload (real human-written texts) is moved in time: its first part spread
 * over the last hour and stored at full speed, the rest replayed at its original pace as the
 * live stream. Needs Chromium and ../shared/data; everything runs on 127.0.0.1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReplayServer, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { repositoryRoot, startServiceProcess, temporaryFolder, type ServiceProcess } from '../support/service-process.ts';
import { requireSharedData } from '../support/shared-data.ts';
import { launchBrowser } from './browser.ts';

const HISTORY_EVENTS = 20_000;
const HISTORY_SPAN_US = 3_600_000_000;
/** Spacing of live events: 40 a second, the pace of the workload. */
const LIVE_STEP_US = 25_000;
const SETTLE_MS = 12_000;

function retime(lines: string[], times: (index: number) => number): string[] {
  return lines.map((line, index) => line.replace(/"time_us":\d+/, `"time_us":${Math.round(times(index))}`));
}

async function waitForStoredPosts(service: ServiceProcess, minimum: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stats = (await (await fetch(`${service.baseUrl}/api/stats`)).json()) as { totals: { posts: number } };
    if (stats.totals.posts >= minimum) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Fewer than ${minimum} posts stored after ${timeoutMs} ms.`);
}

const folder = temporaryFolder('skypulse-screenshot-');
const replays: ReplayServer[] = [];
let service: ServiceProcess | undefined;
try {
  const lines = readFileSync(requireSharedData('jetstream-bench.ndjson'), 'utf8').split('\n').filter((line) => line.trim() !== '');
  const nowUs = Date.now() * 1000;
  const history = retime(lines.slice(0, HISTORY_EVENTS), (index) => nowUs - HISTORY_SPAN_US + (index * HISTORY_SPAN_US) / HISTORY_EVENTS);
  const live = retime(lines.slice(HISTORY_EVENTS), (index) => nowUs + (index + 1) * LIVE_STEP_US);
  writeFileSync(join(folder.path, 'history.ndjson'), `${history.join('\n')}\n`);
  writeFileSync(join(folder.path, 'all.ndjson'), `${[...history, ...live].join('\n')}\n`);
  const database = `file:${join(folder.path, 'db.sqlite')}`;

  // First run: store the hour of history as fast as the service takes it.
  const historyReplay = await startReplayServer({ file: join(folder.path, 'history.ndjson'), speed: 'max' });
  replays.push(historyReplay);
  service = await startServiceProcess({ env: { JETSTREAM_URL: historyReplay.url, DATABASE_URL: database } });
  await waitForStoredPosts(service, HISTORY_EVENTS * 0.8, 120_000);
  await service.stop();

  // Second run: the stored cursor makes the replay start where the history ended, at live pace.
  const liveReplay = await startReplayServer({ file: join(folder.path, 'all.ndjson'), speed: 1 });
  replays.push(liveReplay);
  service = await startServiceProcess({ env: { JETSTREAM_URL: liveReplay.url, DATABASE_URL: database } });

  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light', reducedMotion: 'reduce' });
    await page.goto(`${service.baseUrl}/?track=keyword:movie&track=language:ja`);
    await page.waitForTimeout(SETTLE_MS);
    const output = join(repositoryRoot, 'docs', 'screenshot.png');
    await page.screenshot({ path: output });
    console.log(`wrote ${output}`);
  } finally {
    await browser.close();
  }
} finally {
  await service?.stop().catch(() => undefined);
  for (const replay of replays) await replay.close().catch(() => undefined);
  folder.remove();
}
