/**
 * Bar charts drawn with plain elements: the label distribution of each window and the posts
 * by language. Each bar carries its numbers as text, so nothing depends on seeing the bars.
 */
import type { StatsSnapshot } from '../../src/hub/events.ts';
import { byId, h, setText } from './dom.ts';
import { formatCount, formatShare, languageName } from './format.ts';
import type { WindowName } from './figures.ts';
import { LABEL_GLYPHS, LABELS } from './sentiment.ts';

const TOP_LANGUAGES = 8;
const WINDOW_TITLES: Record<WindowName, string> = { minute: 'Last minute', hour: 'Last hour', sinceStart: 'Since start' };

export class Breakdowns {
  private readonly distribution = byId('distribution', HTMLElement);
  private readonly languages = byId('languages', HTMLElement);
  private readonly languagesTitle = byId('languages-window', HTMLElement);
  private lastDistribution = '';
  private lastLanguages = '';

  update(snapshot: StatsSnapshot, window: WindowName): void {
    this.updateDistribution(snapshot);
    this.updateLanguages(snapshot.languages[window] ?? {}, window);
  }

  private updateDistribution(snapshot: StatsSnapshot): void {
    const key = JSON.stringify(snapshot.windows);
    if (key === this.lastDistribution) return;
    this.lastDistribution = key;

    const rows = (Object.keys(WINDOW_TITLES) as WindowName[]).map((name) => {
      const labels = snapshot.windows[name].labels;
      const total = LABELS.reduce((sum, label) => sum + labels[label], 0);
      const bar = h('div', { className: 'stack', attrs: { 'aria-hidden': 'true' } });
      const parts: string[] = [];
      for (const label of LABELS) {
        const share = total > 0 ? labels[label] / total : 0;
        if (share > 0) {
          const segment = h('span', { className: `stack__segment stack__segment--${label}` });
          segment.style.width = `${share * 100}%`;
          segment.title = `${label}: ${formatCount(labels[label])} (${formatShare(share)})`;
          bar.append(segment);
        }
        parts.push(`${LABEL_GLYPHS[label]} ${label} ${total > 0 ? formatShare(share) : '\u2013'}`);
      }
      return h(
        'li',
        { className: 'distribution__row' },
        h('span', { className: 'distribution__title', text: WINDOW_TITLES[name] }),
        h('span', { className: 'distribution__total', text: total > 0 ? `${formatCount(total)} posts` : 'no data' }),
        bar,
        h('span', { className: 'distribution__shares', text: parts.join('  ') }),
      );
    });
    this.distribution.replaceChildren(...rows);
  }

  private updateLanguages(counts: Record<string, number>, window: WindowName): void {
    const entries = Object.entries(counts)
      .filter(([, count]) => typeof count === 'number' && count > 0)
      .sort((a, b) => b[1] - a[1]);
    const key = window + JSON.stringify(entries);
    if (key === this.lastLanguages) return;
    this.lastLanguages = key;
    setText(this.languagesTitle, WINDOW_TITLES[window].toLowerCase());

    if (entries.length === 0) {
      this.languages.replaceChildren(h('li', { className: 'bars__empty', text: 'No posts in this window yet.' }));
      return;
    }
    const total = entries.reduce((sum, [, count]) => sum + count, 0);
    const shown = entries.slice(0, TOP_LANGUAGES).map(([tag, count]) => ({ name: languageName(tag), tag, count }));
    const rest = entries.slice(TOP_LANGUAGES).reduce((sum, [, count]) => sum + count, 0);
    if (rest > 0) shown.push({ name: 'Other languages', tag: `${entries.length - TOP_LANGUAGES} more`, count: rest });
    const max = Math.max(...shown.map((row) => row.count));

    const rows = shown.map(({ name, tag, count }) => {
      const fill = h('span', { className: 'bars__fill' });
      fill.style.width = `${(count / max) * 100}%`;
      return h(
        'li',
        { className: 'bars__row' },
        h('span', { className: 'bars__name', text: name, attrs: { title: tag } }),
        h('span', { className: 'bars__track', attrs: { 'aria-hidden': 'true' } }, fill),
        h('span', { className: 'bars__value', text: `${formatCount(count)} \u00B7 ${formatShare(count / total)}` }),
      );
    });
    this.languages.replaceChildren(...rows);
  }
}
