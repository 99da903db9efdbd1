/** Number and time formatting for the page, in the reader's locale. */

const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const rateFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'always', style: 'short' });
const absoluteFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const NO_DATA = 'no data';

export function formatCount(value: number): string {
  return integerFormat.format(value);
}

export function formatRate(value: number): string {
  return rateFormat.format(value);
}

/** Formats a per-minute rate: one decimal below 10, whole numbers above. */
export function formatPerMinute(value: number): string {
  return value < 10 ? rateFormat.format(value) : integerFormat.format(value);
}

/** Formats a 0..1 share, or "no data" when there is none. */
export function formatShare(share: number | null): string {
  return share === null ? NO_DATA : percentFormat.format(share);
}

/** Formats a VADER compound score with an explicit sign: "+0.62", "−0.10", "0.00". */
export function formatCompound(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NO_DATA;
  const fixed = Math.abs(value).toFixed(2);
  if (fixed === '0.00') return '0.00';
  return `${value > 0 ? '+' : '\u2212'}${fixed}`;
}

/** Formats the time between `then` and `now` (both ms since the epoch): "12 sec. ago". */
export function formatRelative(then: number, now: number): string {
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 5) return 'just now';
  if (abs < 60) return relativeFormat.format(seconds, 'second');
  if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
  return relativeFormat.format(Math.round(seconds / 86_400), 'day');
}

export function formatAbsolute(time: number): string {
  return absoluteFormat.format(time);
}

/** Formats a duration in seconds as "45 s", "3 min", "2 h 5 min" or "4 days". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds >= 172_800) return `${formatCount(Math.floor(seconds / 86_400))} days`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

const languageNames = new Intl.DisplayNames(undefined, { type: 'language' });

/** Name of a language subtag in the reader's locale where the browser has one, else the subtag. */
export function languageName(tag: string): string {
  if (tag === 'und') return 'no language given';
  try {
    return languageNames.of(tag) ?? tag;
  } catch {
    // Intl.DisplayNames throws RangeError on tags that are not well-formed BCP 47.
    return tag;
  }
}
