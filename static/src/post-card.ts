/**
 * One post as an `<article>`. Post text goes in through `textContent` only, inside an element
 * with `dir="auto"` whose CSS isolates it, so markup stays text and right-to-left text or
 * direction-control characters cannot reorder anything outside the post.
 */
import type { Post } from '../../src/hub/events.ts';
import { primaryLanguage } from '../../src/hub/post-language.ts';
import { h } from './dom.ts';
import { formatAbsolute, formatCompound, formatRelative, languageName } from './format.ts';
import { blueskyPostUrl } from './links.ts';
import { LABEL_DESCRIPTIONS, LABEL_GLYPHS, isLabel, type SentimentLabel } from './sentiment.ts';

/** Time of a post for display and ordering: when Jetstream saw it, which authors cannot set. */
export function postTime(post: Post): number {
  const time = Date.parse(post.indexedAt);
  return Number.isNaN(time) ? Date.now() : time;
}

/** Builds a labelled sentiment badge: glyph, word and colour together. */
export function sentimentBadge(label: SentimentLabel): HTMLElement {
  return h(
    'span',
    { className: `badge badge--${label}`, attrs: { title: `${label}: ${LABEL_DESCRIPTIONS[label]}` } },
    h('span', { className: 'badge__glyph', text: LABEL_GLYPHS[label], attrs: { 'aria-hidden': 'true' } }),
    label,
  );
}

/** Builds the card for `post`; `now` sets the first relative time. */
export function renderPost(post: Post, now: number): HTMLElement {
  const label: SentimentLabel = isLabel(post.sentiment.label) ? post.sentiment.label : 'unscored';
  const time = postTime(post);
  // Two or three lower-case letters (or `und`), so it is also safe as a `lang` attribute.
  const language = primaryLanguage(post.langs.filter((tag) => typeof tag === 'string'));
  const known = language !== 'und';

  const meta = h(
    'div',
    { className: 'post__meta' },
    sentimentBadge(label),
    label === 'unscored'
      ? null
      : h('span', {
          className: 'post__compound',
          text: formatCompound(post.sentiment.compound),
          attrs: { title: 'VADER compound score, from \u22121 (most negative) to +1 (most positive)' },
        }),
    h('span', {
      className: 'post__language',
      text: language,
      attrs: { title: known ? languageName(language) : 'No language given' },
    }),
    h('time', {
      className: 'post__time',
      text: formatRelative(time, now),
      attrs: { datetime: new Date(time).toISOString(), title: formatAbsolute(time), 'data-relative': '' },
    }),
  );

  const url = blueskyPostUrl(post.uri);
  if (url) {
    meta.append(
      h('a', {
        className: 'post__link',
        text: 'Open',
        attrs: {
          href: url,
          target: '_blank',
          rel: 'noopener noreferrer',
          'aria-label': 'Open this post on Bluesky (new tab)',
        },
      }),
    );
  }

  const hasText = post.text.trim().replace(/[\u200B-\u200D\u2060\uFEFF]/g, '') !== '';
  const text = hasText
    ? h('p', { className: 'post__text', text: post.text, attrs: { dir: 'auto' } })
    : h('p', { className: 'post__text post__text--empty', text: 'No text (image or embed only)' });
  if (hasText && known) text.lang = language;

  const article = h('article', { className: `post post--${label}` }, meta, text);
  article.dataset.uri = post.uri;
  return article;
}
