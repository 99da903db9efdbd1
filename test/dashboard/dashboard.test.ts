/**
 * The dashboard in real Chromium against the real service (spawned on the runtime running the
 * tests), which consumes the real sample capture from a replay server. Posts the tests need at
 * a given moment are sent through the replay connection while the page is open.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startReplayServer, type ReplayConnection, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { startServiceProcess, temporaryFolder, type ServiceProcess } from '../support/service-process.ts';
import { requireSharedData, skipWithoutSharedData } from '../support/shared-data.ts';
import { launchBrowser, openPage, saveScreenshot, skipWithoutBrowser, waitInPage, type WatchedPage } from './browser.ts';
import { EventFactory, shiftCapture, type PostEvent } from './jetstream-events.ts';

// Callbacks given to waitInPage and page.evaluate run in Chromium, where these globals exist.
// The test project has no DOM library, so this file declares what it uses, for itself only.
interface PageElement {
  readonly textContent: string | null;
  readonly className: string;
  readonly classList: { contains(name: string): boolean };
  readonly hidden: boolean;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly outerHTML: string;
  /** Labels of a form control; undefined on other elements. */
  readonly labels?: { readonly length: number } | null;
  getAttribute(name: string): string | null;
  scrollIntoView(): void;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number };
  getElementById(id: string): PageElement | null;
  readonly documentElement: PageElement;
  readonly body: PageElement;
};
declare const window: { readonly innerWidth: number };
declare const CSS: { escape(value: string): string };
declare function getComputedStyle(element: PageElement): { backgroundColor: string; unicodeBidi: string };

/** A word no sample post contains, for the tracking test. */
const TRACKED_WORD = 'zebrafinch';
const ADMIN_TOKEN = 'dashboard-test-admin-token';

interface Context {
  skipped: boolean;
  /** Why setting up failed; every test reports it, since uvu ignores errors thrown in `before`. */
  setupError?: unknown;
  folder?: ReturnType<typeof temporaryFolder>;
  replay?: ReplayServer;
  upstream?: ReplayConnection;
  service?: ServiceProcess;
  browser?: Browser;
  events: EventFactory;
  /** Open pages, closed after each test. */
  pages: WatchedPage[];
}

const dashboard = suite<Context>('dashboard', { skipped: true, events: new EventFactory(), pages: [] });

dashboard.before(async (context) => {
  try {
    // Both checks throw instead of skipping when CI requires the data and the browser.
    if (skipWithoutSharedData('jetstream-sample.ndjson') || skipWithoutBrowser()) return;
    context.skipped = false;
    await setUp(context);
  } catch (error) {
    context.setupError = error;
  }
});

async function setUp(context: Context): Promise<void> {
  context.folder = temporaryFolder('skypulse-dashboard-');

  // The sample, moved into the last minute, plus one stored post for the tracking test's history.
  const nowUs = Date.now() * 1000;
  const lines = shiftCapture(requireSharedData('jetstream-sample.ndjson'), nowUs - 20_000_000, 100_000);
  lines.push(context.events.post({ text: `Early ${TRACKED_WORD} sighting by the lake this morning` }).line);
  const capture = join(context.folder.path, 'capture.ndjson');
  writeFileSync(capture, `${lines.join('\n')}\n`);

  context.replay = await startReplayServer({
    file: capture,
    speed: 'max',
    hooks: { onConnection: (connection) => void (context.upstream = connection) },
  });
  context.service = await startServiceProcess({
    env: { JETSTREAM_URL: context.replay.url, DATABASE_URL: `file:${join(context.folder.path, 'db.sqlite')}`, ADMIN_TOKEN },
  });
  context.browser = await launchBrowser();
}

/** Whether a test should run: false when skipped; throws when setting up failed. */
function ready(context: Context): boolean {
  if (context.setupError) throw context.setupError;
  return !context.skipped;
}

dashboard.after.each(async (context) => {
  for (const watched of context.pages) await watched.close().catch(() => undefined);
  context.pages = [];
});

dashboard.after(async (context) => {
  await context.browser?.close().catch(() => undefined);
  await context.service?.stop().catch(() => undefined);
  await context.replay?.close().catch(() => undefined);
  context.folder?.remove();
});

/** Sends events to the service through the open replay connection. */
function send(context: Context, ...lines: string[]): void {
  if (!context.upstream) throw new Error('The service has not connected to the replay server.');
  for (const line of lines) context.upstream.sendFrame(line);
}

async function open(context: Context, options: Parameters<typeof openPage>[1] = {}, path = '/'): Promise<WatchedPage> {
  const watched = await openPage(context.browser!, options);
  context.pages.push(watched);
  await watched.page.goto(`${context.service!.baseUrl}${path}`);
  return watched;
}

/** Texts of the posts in the main feed, top first. */
function feedTexts(page: Page): Promise<string[]> {
  return page.$$eval('.feed-panel .post__text', (elements) => elements.map((element) => element.textContent ?? ''));
}

function waitForFeedText(page: Page, text: string): Promise<void> {
  return waitInPage(
    page,
    `a post reading ${JSON.stringify(text.slice(0, 60))} in the live feed`,
    (expected) => [...document.querySelectorAll('.feed-panel .post__text')].some((element) => element.textContent === expected),
    text,
  );
}

function assertNoProblems(watched: WatchedPage, when: string): void {
  assert.equal(watched.problems, [], `no console errors, exceptions or dialogs ${when}`);
}

dashboard('feed and figures fill from history and update live', async (context) => {
  if (!ready(context)) return;
  const watched = await open(context);
  const { page } = watched;

  await waitInPage(page, 'at least 10 posts in the live feed', () => document.querySelectorAll('.feed-panel .post').length >= 10, null);
  const badges = await page.$$eval('.feed-panel .post .badge', (elements) => elements.map((element) => element.textContent ?? ''));
  assert.ok(badges.length >= 10, `every post has a sentiment badge (found ${badges.length})`);
  for (const badge of badges) assert.match(badge, /(positive|neutral|negative|unscored)$/, 'badge names its label in words');

  await waitInPage(page, 'a posts-per-second figure', () => /\d/.test(document.getElementById('figure-rate')?.textContent ?? ''), null);
  const noteBefore = await page.textContent('#figures-note');
  assert.match(noteBefore ?? '', /posts in the last minute/, 'figures note counts the posts of the window');
  const countBefore = Number((noteBefore ?? '').split(' ')[0]!.replace(/\D/g, ''));

  const fresh = ['A lovely calm morning with friends', 'Terrible traffic and awful weather today', 'The meeting is at noon'];
  send(context, ...fresh.map((text) => context.events.post({ text }).line));
  for (const text of fresh) await waitForFeedText(page, text);
  await waitInPage(
    page,
    `the figures note to count more than ${countBefore} posts`,
    (before) => Number((document.getElementById('figures-note')?.textContent ?? '').split(' ')[0]!.replace(/\D/g, '')) > before,
    countBefore,
  );

  await waitInPage(
    page,
    'the timeline summary from stored history',
    () => /^[1-9][\d,]* posts in the last hour/.test(document.getElementById('timeline-summary')?.textContent ?? ''),
    null,
  );
  await waitInPage(
    page,
    'stored posts in both top lists',
    () => document.querySelectorAll('#top-positive .post').length > 0 && document.querySelectorAll('#top-negative .post').length > 0,
    null,
  );
  const strongest = await page.$$eval('#top-positive .post__compound', (elements) => elements.map((element) => element.textContent ?? ''));
  for (const compound of strongest) assert.match(compound, /^\+/, `most positive posts have a positive compound (${compound})`);

  const top = await feedTexts(page);
  assert.ok(fresh.includes(top[0]!), `the newest post is on top (top is ${JSON.stringify(top[0])})`);
  assert.is(await page.getAttribute('#status-server', 'data-health'), 'ok', 'server status shows connected');
  assert.match((await page.textContent('#status-viewers-text')) ?? '', /^[1-9]/, 'viewer count includes this page');
  await saveScreenshot(page, 'dashboard-feed');
  assertNoProblems(watched, 'while the feed fills');
});

dashboard('paused feed counts waiting posts and removes deleted ones', async (context) => {
  if (!ready(context)) return;
  const watched = await open(context);
  const { page } = watched;
  await waitInPage(page, 'posts in the live feed', () => document.querySelectorAll('.feed-panel .post').length > 0, null);

  await page.click('.feed-panel .feed__toolbar button');
  assert.is(await page.getAttribute('.feed-panel .feed__toolbar button', 'aria-pressed'), 'true', 'pause button reports pressed');
  const waitingPosts = [context.events.post({ text: 'Held while paused, first' }), context.events.post({ text: 'Held while paused, second' })];
  send(context, ...waitingPosts.map((post) => post.line));
  await waitInPage(page, 'the waiting-posts button', () => {
    const button = document.querySelector('.feed-panel .feed__waiting');
    return button && !button.hidden && button.textContent === 'Show 2 new posts';
  }, null);
  const whilePaused = await feedTexts(page);
  assert.not.ok(whilePaused.includes('Held while paused, first'), 'a paused feed does not show new posts');

  await page.click('.feed-panel .feed__waiting');
  await waitForFeedText(page, 'Held while paused, first');
  await waitForFeedText(page, 'Held while paused, second');
  assert.is(await page.textContent('.feed-panel .feed__state'), 'Live', 'feed is live again');

  send(context, context.events.deletion(waitingPosts[0]!));
  await waitInPage(
    page,
    'the deleted post to leave the feed',
    (uri) => !document.querySelector(`.feed-panel .post[data-uri="${CSS.escape(uri)}"]`),
    waitingPosts[0]!.uri,
  );
  assert.ok((await feedTexts(page)).includes('Held while paused, second'), 'the other post stays');

  send(context, context.events.update(waitingPosts[1]!, 'Held while paused, edited'));
  await waitForFeedText(page, 'Held while paused, edited');
  assert.not.ok((await feedTexts(page)).includes('Held while paused, second'), 'the edit replaces the old text');
  assertNoProblems(watched, 'while pausing');
});

dashboard('announcement shows as a text banner', async (context) => {
  if (!ready(context)) return;
  const watched = await open(context);
  const { page } = watched;
  await waitInPage(page, 'a connected server', () => document.getElementById('status-server')?.getAttribute('data-health') === 'ok', null);

  const message = 'Maintenance at 18:00 UTC, see https://status.example.org/today. javascript:alert(1) "><img src=x onerror=alert(1)>';
  const response = await fetch(`${context.service!.baseUrl}/api/announcements`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message, level: 'warning' }),
  });
  assert.is(response.status, 201, `announcement accepted (${await response.text()})`);
  await waitInPage(
    page,
    'the announcement banner',
    (expected) => document.querySelector('#announcements .announcement__message')?.textContent === expected,
    message,
  );
  assert.is(await page.evaluate(() => document.querySelectorAll('#announcements img').length), 0, 'announcement text made no element');
  const links = await page.$$eval('#announcements a', (anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
  assert.equal(links, ['https://status.example.org/today'], 'only the https address became a link');
  await page.click('#announcements button');
  assert.ok(await page.evaluate(() => document.getElementById('announcements')?.hidden), 'dismissed banner is hidden');
  assertNoProblems(watched, 'while announcing');
});

dashboard('tracked keyword shows only matching posts and survives reload', async (context) => {
  if (!ready(context)) return;
  const watched = await open(context);
  const { page } = watched;

  await page.selectOption('#track-kind', 'keyword');
  await page.fill('#track-value', TRACKED_WORD);
  await page.press('#track-value', 'Enter');
  await waitInPage(page, 'the tracked card to go live', () => document.querySelector('.tracked .tracked__state')?.textContent === 'live', null);
  await waitInPage(page, 'the stored matching post in the card', () => document.querySelectorAll('.tracked .post').length >= 1, null);

  const matching = [`Two ${TRACKED_WORD} nests spotted`, `${TRACKED_WORD.toUpperCase()}! What a bird`];
  const other = ['A zebra and a finch walk into a bar', 'Nothing about birds at all'];
  send(context, ...[...matching, ...other].map((text) => context.events.post({ text }).line));
  for (const text of other) await waitForFeedText(page, text);
  await waitInPage(page, 'three posts in the tracked card', () => document.querySelectorAll('.tracked .post').length === 3, null);

  const tracked = await page.$$eval('.tracked .post__text', (elements) => elements.map((element) => element.textContent ?? ''));
  for (const text of tracked) assert.match(text.toLowerCase(), TRACKED_WORD, `tracked post matches: ${JSON.stringify(text)}`);
  for (const text of matching) assert.ok(tracked.includes(text), `tracked card shows ${JSON.stringify(text)}`);
  await waitInPage(
    page,
    'the tracked card figures to count its posts',
    () => [...document.querySelectorAll('.tracked .tracked__value')].every((value) => !value.classList.contains('is-empty')) &&
      document.querySelector('.tracked .tracked__value')?.textContent !== '0.0',
    null,
  );
  const compare = await page.textContent('.tracked .tracked__compare');
  assert.match(compare ?? '', /^all \d/, 'the card shows the figure of all posts beside the term');
  assert.match(page.url(), `track=keyword%3A${TRACKED_WORD}`, 'the address keeps the term');
  await saveScreenshot(page, 'dashboard-tracking', true);

  await page.reload();
  await waitInPage(page, 'the tracked card after reload', () => document.querySelector('.tracked .tracked__state')?.textContent === 'live', null);
  await waitInPage(page, 'tracked posts after reload', () => document.querySelectorAll('.tracked .post').length >= 1, null);
  const title = await page.textContent('.tracked .tracked__title');
  assert.match(title ?? '', TRACKED_WORD, 'the restored card names the term');
  assertNoProblems(watched, 'while tracking');
});

dashboard('label filter keeps only chosen labels', async (context) => {
  if (!ready(context)) return;
  const watched = await open(context);
  const { page } = watched;
  await waitInPage(page, 'posts in the live feed', () => document.querySelectorAll('.feed-panel .post').length > 0, null);

  for (const label of ['positive', 'neutral', 'unscored']) await page.uncheck(`input[name="filter-label"][value="${label}"]`);
  await waitInPage(
    page,
    'the feed to hold only negative posts',
    () => [...document.querySelectorAll('.feed-panel .post')].every((post) => post.classList.contains('post--negative')),
    null,
  );
  const negative = 'This is awful, horrible and sad';
  send(context, context.events.post({ text: 'What a wonderful happy day, I love it' }).line, context.events.post({ text: negative }).line);
  await waitForFeedText(page, negative);
  const labels = await page.$$eval('.feed-panel .post', (posts) => posts.map((post) => post.className));
  for (const className of labels) assert.match(className, 'post--negative', `only negative posts shown (${className})`);
  assert.match(page.url(), 'label=negative', 'the address keeps the filter');
  assertNoProblems(watched, 'while filtering');
});

dashboard('theme switch changes and remembers the theme', async (context) => {
  if (!ready(context)) return;
  const watched = await open(context, { colorScheme: 'light' });
  const { page } = watched;
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();

  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, select, input, [tabindex="0"]')]
      .filter((element) => !element.getAttribute('aria-label') && !(element.labels && element.labels.length > 0) && !element.textContent?.trim())
      .map((element) => element.outerHTML.slice(0, 120)),
  );
  assert.equal(unnamed, [], 'every control has an accessible name');

  await page.click('label[for="theme-dark"]');
  assert.is(await page.getAttribute('html', 'data-theme'), 'dark', 'dark theme applied');
  const dark = await background();
  assert.is.not(dark, light, 'background changes with the theme');
  await saveScreenshot(page, 'dashboard-dark');

  await page.reload();
  await page.waitForSelector('#theme-dark:checked', { state: 'attached' });
  assert.is(await page.getAttribute('html', 'data-theme'), 'dark', 'dark theme remembered after reload');
  assert.is(await background(), dark, 'dark background after reload');

  await page.click('label[for="theme-system"]');
  assert.is(await page.getAttribute('html', 'data-theme'), null, 'system choice removes the override');
  assert.is(await background(), light, 'system theme (light here) restored');
  assertNoProblems(watched, 'while switching themes');
});

dashboard('hostile post text stays text and runs nothing', async (context) => {
  if (!ready(context)) return;
  const watched = await open(context);
  const { page } = watched;
  await waitInPage(page, 'posts in the live feed', () => document.querySelectorAll('.feed-panel .post').length > 0, null);

  const hostile = [
    '<img src=x onerror=alert(1)>',
    '"><img src=x onerror=alert(document.domain)>',
    '</script><script>alert(1)</script>',
    '<b>bold</b> &amp; <i>x</i>',
    '\u202Eright-to-left override without a closing mark',
  ];
  // Events are made in the order they are sent: the service skips events older than its cursor.
  const posts: PostEvent[] = hostile.map((text) => context.events.post({ text }));
  const link = 'click here for a prize';
  const linkPost = context.events.post({
    text: link,
    facets: [{ index: { byteStart: 0, byteEnd: 10 }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'javascript:alert(1)' }] }],
  });
  send(context, ...posts.map((post) => post.line), linkPost.line, context.events.identity(linkPost.did, '"><svg onload=alert(1)>'));
  for (const text of [...hostile, link]) await waitForFeedText(page, text);
  // Give any injected handler a moment to fire before checking that none did.
  await page.waitForTimeout(300);

  const injected = await page.evaluate(() => document.querySelectorAll('main img, main script, main svg, main b, main i, main iframe').length);
  assert.is(injected, 0, 'no element was created from post text');
  const hrefs = await page.$$eval('main a[href]', (anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
  for (const href of hrefs) assert.match(href, /^https:\/\/bsky\.app\/profile\/did:[a-z]+:[^/]+\/post\/[^/]+$/, `only bsky.app post links (${href})`);
  assert.is(await page.title(), 'skypulse · Bluesky mood, live', 'page title unchanged');

  const isolation = await page.$$eval('.feed-panel .post__text', (elements) =>
    elements.map((element) => ({ dir: element.getAttribute('dir'), bidi: getComputedStyle(element).unicodeBidi })),
  );
  for (const { dir, bidi } of isolation.filter((item) => item.dir !== null)) {
    assert.is(dir, 'auto', 'post text takes its direction from its own content');
    assert.is(bidi, 'isolate', 'post text is bidi-isolated from the rest of the card');
  }

  const response = await fetch(`${context.service!.baseUrl}/`);
  await response.body?.cancel();
  const policy = response.headers.get('content-security-policy') ?? '';
  const scriptSources = /script-src ([^;]*)/.exec(policy)?.[1] ?? '';
  assert.match(scriptSources, "'self'", 'CSP limits scripts to this origin');
  assert.not.match(scriptSources, 'unsafe-inline', 'CSP forbids inline script');
  await saveScreenshot(page, 'dashboard-hostile-text');
  assertNoProblems(watched, 'after hostile posts');
});

dashboard('long word does not widen the page', async (context) => {
  if (!ready(context)) return;
  const word = 'a'.repeat(1000) + '\u0634'.repeat(1000);
  send(context, context.events.post({ text: word }).line);

  for (const width of [1280, 390]) {
    const watched = await open(context, { width, height: 900 });
    const { page } = watched;
    await waitForFeedText(page, word);
    const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    assert.ok(sizes.scroll <= sizes.viewport, `page is ${sizes.scroll} px wide in a ${sizes.viewport} px viewport`);
    const overflow = await page.$$eval('.feed-panel .post__text', (elements) =>
      Math.max(...elements.map((element) => element.scrollWidth - element.clientWidth)),
    );
    assert.ok(overflow <= 1, `post text stays inside its card (overflow ${overflow} px) at ${width} px`);
    await page.evaluate((text) => {
      for (const element of document.querySelectorAll('.feed-panel .post__text')) {
        if (element.textContent === text) element.scrollIntoView();
      }
    }, word);
    await saveScreenshot(page, `dashboard-long-word-${width}`);
    assertNoProblems(watched, `at ${width} px`);
  }
});

dashboard.run();
