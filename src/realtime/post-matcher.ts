/**
 * Finds the rooms a post belongs to: feed rooms by label and language, and track rooms by
 * keyword, hashtag or language. Built once per change of the room set, so matching one post
 * costs a pass over its words, not a pass over every tracked term.
 *
 * - keyword: case-insensitive, whole words in order; punctuation between words is ignored, so
 *   `covid-19` matches "COVID 19". Keywords in scripts written without spaces (Chinese,
 *   Japanese, Thai and others) match anywhere in the text instead, since they have no word
 *   boundaries to respect.
 * - hashtag: `#tag` in the text, case-insensitive, at the start or after a non-word character.
 * - language: any of the post's primary language subtags (`und` for posts without one).
 */
import type { Post } from '../hub/events.ts';
import { languageSubtags } from '../hub/post-language.ts';
import { parseFeedRoom, parseTrackRoom, words } from './terms.ts';

const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const HASHTAG_IN_TEXT = /(?:^|[^\p{L}\p{M}\p{N}_&])#([\p{L}\p{M}\p{N}_]+)/gu;

const NO_ROOMS: readonly string[] = Object.freeze([]);

interface FeedSelector {
  room: string;
  labels: Set<string> | null;
  languages: Set<string> | null;
}

interface KeywordEntry {
  words: string[];
  room: string;
}

export interface PostRooms {
  feed: string[];
  tracked: readonly string[];
}

export class PostMatcher {
  readonly #feeds: FeedSelector[] = [];
  /** Keywords by their first word. */
  readonly #keywords = new Map<string, KeywordEntry[]>();
  readonly #substrings: Array<{ value: string; room: string }> = [];
  readonly #hashtags = new Map<string, string>();
  readonly #languages = new Map<string, string>();

  /** Builds the indexes for `rooms`; names that are neither feed nor track rooms are skipped. */
  constructor(rooms: Iterable<string>) {
    for (const room of rooms) {
      const filter = parseFeedRoom(room);
      if (filter) {
        this.#feeds.push({
          room,
          labels: filter.labels.length > 0 ? new Set(filter.labels) : null,
          languages: filter.languages.length > 0 ? new Set(filter.languages) : null,
        });
        continue;
      }
      const term = parseTrackRoom(room);
      if (!term) continue;
      if (term.kind === 'hashtag') this.#hashtags.set(term.value, room);
      else if (term.kind === 'language') this.#languages.set(term.value, room);
      else if (UNSPACED_SCRIPT.test(term.value)) this.#substrings.push({ value: term.value, room });
      else this.#addKeyword(words(term.value), room);
    }
  }

  get empty(): boolean {
    return this.#feeds.length === 0 && !this.#tracksAnything();
  }

  match(post: Post): PostRooms {
    // Subtags are worked out only when a room filters by language, which `feed:all` does not.
    let languages: string[] | null = null;
    const subtags = () => (languages ??= languageSubtags(post.langs));
    const feed: string[] = [];
    for (const selector of this.#feeds) {
      if (selector.labels && !selector.labels.has(post.sentiment.label)) continue;
      if (selector.languages && !subtags().some((language) => selector.languages!.has(language))) continue;
      feed.push(selector.room);
    }
    return { feed, tracked: this.#tracksAnything() ? this.#matchTerms(post.text, subtags()) : NO_ROOMS };
  }

  #tracksAnything(): boolean {
    return this.#keywords.size + this.#substrings.length + this.#hashtags.size + this.#languages.size > 0;
  }

  #addKeyword(keywordWords: string[], room: string): void {
    const first = keywordWords[0]!;
    const entries = this.#keywords.get(first) ?? [];
    entries.push({ words: keywordWords, room });
    this.#keywords.set(first, entries);
  }

  #matchTerms(text: string, languages: string[]): string[] {
    const rooms = new Set<string>();

    for (const language of languages) {
      const room = this.#languages.get(language);
      if (room) rooms.add(room);
    }

    if (this.#hashtags.size > 0 && text.includes('#')) {
      for (const match of text.matchAll(HASHTAG_IN_TEXT)) {
        const room = this.#hashtags.get(match[1]!.toLowerCase());
        if (room) rooms.add(room);
      }
    }

    if (this.#keywords.size > 0) {
      const textWords = words(text);
      for (let index = 0; index < textWords.length; index += 1) {
        for (const entry of this.#keywords.get(textWords[index]!) ?? []) {
          if (entry.words.every((word, offset) => textWords[index + offset] === word)) rooms.add(entry.room);
        }
      }
    }

    if (this.#substrings.length > 0) {
      const normalised = text.replace(/\s+/g, ' ').toLowerCase();
      for (const { value, room } of this.#substrings) {
        if (normalised.includes(value)) rooms.add(room);
      }
    }

    return [...rooms];
  }
}
