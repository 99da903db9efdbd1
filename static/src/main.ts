/**
 * Entry point of the dashboard bundle: builds the components, fills them from stored history,
 * then keeps them live from Socket.IO.
 */
import 'uplot/dist/uPlot.min.css';
import type { StatsSnapshot } from '../../src/hub/events.ts';
import { createApiClient, isPost } from './api.ts';
import { AnnouncementBanner } from './announcements.ts';
import { Announcer } from './announcer.ts';
import { Breakdowns } from './breakdowns.ts';
import { connect } from './connection.ts';
import { byId } from './dom.ts';
import { Feed } from './feed.ts';
import { Figures } from './figures.ts';
import { FeedFilters, filterAccepts, toFeedFilter } from './filters.ts';
import { startRelativeTimes } from './relative-times.ts';
import { StatusBar, describeServer } from './status.ts';
import { setUpTheme } from './theme.ts';
import { TimelineChart } from './timeline-chart.ts';
import { TopPosts } from './top-posts.ts';
import { Tracking } from './tracking.ts';
import { SamplingMeter } from './sampling-meter.ts';
import { readToken, readUrlState, writeUrlState } from './url-state.ts';

const FEED_CAPACITY = 150;
const HISTORY_LIMIT = 100;
/** A connected server sends stats every second; after this long without one they are stale. */
const STALE_AFTER_MS = 5_000;
const LANGUAGE_CHOICES_REFRESH_MS = 10_000;

setUpTheme();
startRelativeTimes();

const token = readToken();
const api = createApiClient(token);
const connection = connect(token);
const urlState = readUrlState();

const status = new StatusBar();
const figures = new Figures();
const breakdowns = new Breakdowns();
const announcer = new Announcer();
const banner = new AnnouncementBanner();
const timeline = new TimelineChart(api);
const topPosts = new TopPosts(api);
const tracking = new Tracking(api, connection);
const filters = new FeedFilters({ labels: urlState.labels, language: urlState.language });
const feed = new Feed({ label: 'Live posts', capacity: FEED_CAPACITY, paceControl: { storageKey: 'skypulse.feedPace' } });
byId('feed', HTMLElement).append(feed.element);

function saveUrlState(): void {
  const filter = filters.state;
  writeUrlState({ tracked: tracking.terms, labels: filter.labels, language: filter.language });
}

// Feed and its filter.
feed.setFilter((post) => filterAccepts(filters.state, post));

let historySequence = 0;

async function loadFeedHistory(replace: boolean): Promise<void> {
  const filter = filters.state;
  const sequence = ++historySequence;
  try {
    const posts = await api.posts({
      limit: HISTORY_LIMIT,
      label: filter.labels.length === 1 ? filter.labels[0] : undefined,
      language: filter.language ?? undefined,
    });
    // A newer load (after another filter change) wins over this one.
    if (sequence !== historySequence) return;
    if (replace) feed.replace(posts);
    else feed.addHistory(posts);
  } catch (error) {
    console.error(error);
    feed.setEmptyText('Could not load stored posts; new posts appear as they arrive.');
  }
}

async function fillGap(from: number, to: number): Promise<void> {
  const filter = filters.state;
  try {
    const posts = await api.posts({
      limit: HISTORY_LIMIT,
      since: from,
      until: to + 1,
      label: filter.labels.length === 1 ? filter.labels[0] : undefined,
      language: filter.language ?? undefined,
    });
    feed.addHistory(posts);
  } catch (error) {
    console.error(error);
  }
}

async function sendFilter(): Promise<void> {
  const result = await connection.filter(toFeedFilter(filters.state));
  if (!result.ok) console.error(`The server did not apply the feed filter: ${result.error}`);
}

filters.onChange(() => {
  feed.setFilter((post) => filterAccepts(filters.state, post));
  saveUrlState();
  void sendFilter();
  void loadFeedHistory(true);
});

// Tracked terms, restored from the address.
tracking.onChange(saveUrlState);
for (const term of urlState.tracked) tracking.add(term);

// Live events.
connection.onConnect((reconnected) => {
  void sendFilter();
  // Posts sent while the socket was down are lost to this page; stored history fills the gap.
  if (reconnected && !feed.paused) void loadFeedHistory(true);
});
connection.onStatus((next) => {
  status.setServer(next);
  if (next.state !== 'connecting') announcer.announce(`Server ${describeServer(next).text}.`);
});

const socket = connection.socket;
const sampling = new SamplingMeter();
socket.on('posts', (message) => {
  const posts = (message?.posts ?? []).filter(isPost);
  sampling.record(posts.length, typeof message?.total === 'number' ? message.total : posts.length);
  feed.push(posts);
});
socket.on('tracked', (message) => {
  if (typeof message?.term === 'string') tracking.receive(message, (message.posts ?? []).filter(isPost));
});
socket.on('updated', (message) => {
  const posts = (message?.posts ?? []).filter(isPost);
  feed.update(posts);
  tracking.updatePosts(posts);
});
socket.on('lagged', (message) => {
  // The server skipped batches while this page's connection was slow; stored posts fill the gap.
  if (typeof message?.from === 'number' && typeof message?.to === 'number') void fillGap(message.from, message.to);
});
socket.on('session', (session) => tracking.applySession(session));
socket.on('deleted', (message) => {
  const uris = (message?.uris ?? []).filter((uri): uri is string => typeof uri === 'string');
  feed.remove(uris);
  tracking.removePosts(uris);
  topPosts.remove(uris);
});
socket.on('announcement', (announcement) => {
  if (banner.show(announcement)) announcer.announce(`Announcement: ${announcement.message}`);
});

let lastSnapshot: StatsSnapshot | null = null;
let lastSnapshotAt = 0;
let languagesRefreshedAt = 0;

function showSnapshot(snapshot: StatsSnapshot): void {
  if (!snapshot?.windows) return;
  lastSnapshot = snapshot;
  lastSnapshotAt = Date.now();
  figures.setStale(false);
  figures.update(snapshot);
  breakdowns.update(snapshot, figures.window);
  status.setSnapshot(snapshot);
  tracking.render(snapshot);
  announcer.summarize(snapshot);
  if (lastSnapshotAt - languagesRefreshedAt > LANGUAGE_CHOICES_REFRESH_MS) {
    languagesRefreshedAt = lastSnapshotAt;
    filters.updateLanguages(snapshot.languages.sinceStart);
  }
}

socket.on('stats', showSnapshot);
byId('figures-window', HTMLSelectElement).addEventListener('change', () => {
  if (lastSnapshot) breakdowns.update(lastSnapshot, figures.window);
});

window.setInterval(() => {
  const age = Date.now() - lastSnapshotAt;
  if (connection.status().state === 'connected' && lastSnapshotAt > 0 && age > STALE_AFTER_MS) {
    figures.setStale(true);
    status.setStale(age / 1000);
  }
  // Cards recompute their rates as posts age, even when nothing new arrives.
  if (age > 1_500) tracking.render(null);
  feed.setNote(sampling.describe());
}, 1_000);

// First load from stored history, so nothing starts from an empty screen.
void api.stats().then(
  (snapshot) => {
    if (!lastSnapshot) showSnapshot(snapshot);
  },
  (error) => console.error(error),
);
void loadFeedHistory(false);
timeline.start();
topPosts.start();
saveUrlState();
