/** Keeps every `<time data-relative>` on the page reading "N ago" as the clock moves. */
import { setText } from './dom.ts';
import { formatRelative } from './format.ts';

const REFRESH_MS = 5_000;

export function refreshRelativeTimes(root: ParentNode = document, now = Date.now()): void {
  for (const element of root.querySelectorAll<HTMLTimeElement>('time[data-relative]')) {
    const time = Date.parse(element.dateTime);
    if (!Number.isNaN(time)) setText(element, formatRelative(time, now));
  }
}

/** Starts the refresh timer; the page keeps it for its whole life. */
export function startRelativeTimes(): void {
  window.setInterval(() => {
    // Nobody reads the times in a hidden tab, so they catch up when it is shown again.
    if (document.visibilityState === 'visible') refreshRelativeTimes();
  }, REFRESH_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshRelativeTimes();
  });
}
