/** The banner for operator announcements, newest first, each dismissible. */
import type { Announcement } from '../../src/hub/events.ts';
import { byId, h } from './dom.ts';
import { formatAbsolute } from './format.ts';
import { safeHttpUrl } from './links.ts';

const MAX_SHOWN = 3;
const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/gi;

/**
 * Splits an operator message into text nodes and links, so a status-page address is clickable.
 * Only what parses as an http(s) URL becomes a link; everything else stays text.
 */
export function linkify(message: string): Node[] {
  const nodes: Node[] = [];
  let position = 0;
  for (const match of message.matchAll(URL_IN_TEXT)) {
    // Trailing punctuation usually ends the sentence rather than the address.
    const raw = match[0].replace(/[.,;:!?)\]]+$/, '');
    const href = safeHttpUrl(raw);
    if (!href) continue;
    nodes.push(document.createTextNode(message.slice(position, match.index)));
    nodes.push(h('a', { text: raw, attrs: { href, rel: 'noopener noreferrer', target: '_blank' } }));
    position = match.index + raw.length;
  }
  nodes.push(document.createTextNode(message.slice(position)));
  return nodes;
}

export class AnnouncementBanner {
  private readonly root = byId('announcements', HTMLElement);
  private readonly seen = new Set<string>();

  /** Shows `announcement` unless it was shown before; returns whether it is new. */
  show(announcement: Announcement): boolean {
    if (typeof announcement?.message !== 'string' || this.seen.has(announcement.id)) return false;
    this.seen.add(announcement.id);

    const level = announcement.level === 'warning' ? 'warning' : 'info';
    const created = Date.parse(announcement.createdAt);
    const dismiss = h('button', {
      className: 'button button--quiet',
      text: 'Dismiss',
      attrs: { type: 'button', 'aria-label': 'Dismiss this announcement' },
    });
    const item = h(
      'div',
      { className: `announcement announcement--${level}` },
      h('strong', { className: 'announcement__level', text: level === 'warning' ? 'Warning' : 'Notice' }),
      h('p', { className: 'announcement__message', attrs: { dir: 'auto' } }, ...linkify(announcement.message)),
      Number.isNaN(created)
        ? null
        : h('time', { className: 'announcement__time', text: formatAbsolute(created), attrs: { datetime: new Date(created).toISOString() } }),
      dismiss,
    );
    dismiss.addEventListener('click', () => {
      item.remove();
      this.root.hidden = this.root.childElementCount === 0;
    });

    this.root.prepend(item);
    while (this.root.childElementCount > MAX_SHOWN) this.root.lastElementChild?.remove();
    this.root.hidden = false;
    return true;
  }
}
