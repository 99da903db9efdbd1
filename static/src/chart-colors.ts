/** Chart colours read from the CSS custom properties of the theme in effect. */
import type { SentimentLabel } from './sentiment.ts';

export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  accent: string;
  labels: Record<SentimentLabel, string>;
}

export function chartColors(): ChartColors {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#1b1f24'),
    muted: read('--text-muted', '#5b6470'),
    grid: read('--grid', 'rgba(127, 127, 127, 0.2)'),
    accent: read('--accent', '#2f6fde'),
    labels: {
      positive: read('--positive', '#1a7f5a'),
      neutral: read('--neutral', '#6b7785'),
      negative: read('--negative', '#c2410c'),
      unscored: read('--unscored', '#b8c0ca'),
    },
  };
}
