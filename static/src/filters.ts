/**
 * The main feed's filter by label and language. The server applies it to the posts it sends
 * this page; the page applies it too, to history and to posts already on the way.
 */
import type { Post } from '../../src/hub/events.ts';
import { languageSubtags } from '../../src/hub/post-language.ts';
import type { FeedFilter } from '../../src/realtime/protocol.ts';
import { byId, h } from './dom.ts';
import { formatCount, languageName } from './format.ts';
import { LABELS, isLabel, type SentimentLabel } from './sentiment.ts';

export interface FilterState {
  /** Labels shown; empty means all. */
  labels: SentimentLabel[];
  /** Primary language subtag shown, or null for all. */
  language: string | null;
}

export function filterAccepts(state: FilterState, post: Post): boolean {
  if (state.labels.length > 0 && !state.labels.includes(post.sentiment.label)) return false;
  // Any of the post's languages matches, as on the server.
  if (state.language && !languageSubtags(post.langs).includes(state.language)) return false;
  return true;
}

/** Converts the filter to the protocol's form. */
export function toFeedFilter(state: FilterState): FeedFilter {
  return { labels: state.labels, languages: state.language ? [state.language] : [] };
}

export class FeedFilters {
  private readonly checkboxes: HTMLInputElement[];
  private readonly languageSelect = byId('filter-language', HTMLSelectElement);
  private readonly knownLanguages = new Set<string>();
  private listener: (state: FilterState) => void = () => {};

  constructor(initial: FilterState) {
    this.checkboxes = [...document.querySelectorAll<HTMLInputElement>('input[name="filter-label"]')];
    const all = initial.labels.length === 0;
    for (const box of this.checkboxes) {
      box.checked = all || (isLabel(box.value) && initial.labels.includes(box.value));
      box.addEventListener('change', () => this.changed());
    }
    if (initial.language) this.addLanguage(initial.language, null);
    this.languageSelect.value = initial.language ?? '';
    this.languageSelect.addEventListener('change', () => this.changed());
  }

  onChange(listener: (state: FilterState) => void): void {
    this.listener = listener;
  }

  get state(): FilterState {
    const checked = this.checkboxes.filter((box) => box.checked && isLabel(box.value)).map((box) => box.value as SentimentLabel);
    // Every label or none checked both mean "no label filter".
    const labels = checked.length === LABELS.length || checked.length === 0 ? [] : checked;
    return { labels, language: this.languageSelect.value || null };
  }

  /** Adds languages seen in the stats to the choices; existing choices are never removed. */
  updateLanguages(counts: Record<string, number>): void {
    const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
    for (const [tag, count] of entries) this.addLanguage(tag, count);
  }

  private addLanguage(tag: string, count: number | null): void {
    if (!/^[a-z]{2,3}$/.test(tag)) return;
    const text = `${languageName(tag)} (${tag})`;
    if (this.knownLanguages.has(tag)) {
      const option = [...this.languageSelect.options].find((item) => item.value === tag);
      if (option && count !== null) option.title = `${formatCount(count)} posts since the server started`;
      return;
    }
    this.knownLanguages.add(tag);
    this.languageSelect.append(h('option', { text, attrs: { value: tag } }));
  }

  private changed(): void {
    this.listener(this.state);
  }
}
