/**
 * The headline figures: posts per second, label shares, mean compound, for a window the reader
 * picks. Updated from every stats snapshot (about once a second).
 */
import type { StatsSnapshot } from '../../src/hub/events.ts';
import { byId, setText, setValue } from './dom.ts';
import { NO_DATA, formatCompound, formatCount, formatRate, formatShare } from './format.ts';
import { labelShares, meanCompound } from './sentiment.ts';

export type WindowName = keyof StatsSnapshot['windows'];

const WINDOW_NAMES: Record<WindowName, string> = {
  minute: 'last minute',
  hour: 'last hour',
  sinceStart: 'since the server started',
};

export function isWindowName(value: string): value is WindowName {
  return value in WINDOW_NAMES;
}

export class Figures {
  private readonly windowSelect = byId('figures-window', HTMLSelectElement);
  private readonly rate = byId('figure-rate', HTMLElement);
  private readonly positive = byId('figure-positive', HTMLElement);
  private readonly neutral = byId('figure-neutral', HTMLElement);
  private readonly negative = byId('figure-negative', HTMLElement);
  private readonly unscored = byId('figure-unscored', HTMLElement);
  private readonly compound = byId('figure-compound', HTMLElement);
  private readonly note = byId('figures-note', HTMLElement);
  private last: StatsSnapshot | null = null;

  constructor() {
    this.windowSelect.addEventListener('change', () => {
      if (this.last) this.update(this.last);
    });
  }

  get window(): WindowName {
    const value = this.windowSelect.value;
    return isWindowName(value) ? value : 'minute';
  }

  update(snapshot: StatsSnapshot): void {
    this.last = snapshot;
    const window = snapshot.windows[this.window];
    const shares = labelShares(window.labels);

    setValue(this.rate, formatRate(snapshot.rates.postsPerSecond));
    setValue(this.positive, formatShare(shares.positive));
    setValue(this.neutral, formatShare(shares.neutral));
    setValue(this.negative, formatShare(shares.negative));
    setValue(this.unscored, formatShare(shares.unscored));
    setValue(this.compound, formatCompound(meanCompound(window)));

    const span = WINDOW_NAMES[this.window];
    const note =
      shares.total === 0
        ? `No posts in the ${span}.`
        : shares.scored === 0
          ? `${formatCount(shares.total)} posts in the ${span}, none with text VADER can score: shares show "${NO_DATA}".`
          : `${formatCount(shares.total)} posts in the ${span}, ${formatCount(shares.scored)} scored. ` +
            'Positive, neutral and negative are shares of scored posts; unscored is a share of all posts.';
    setText(this.note, note);
  }

  /** Marks the figures as out of date, for when the server stops sending snapshots. */
  setStale(stale: boolean): void {
    this.rate.closest('.figures')?.classList.toggle('figures--stale', stale);
  }
}
