/**
 * Language subtags of posts, shared by the statistics and the Socket.IO rooms so both group
 * posts the same way. Pure functions: the browser bundle may import them too.
 */

/** Subtag used for posts that declare no language, or only malformed ones. */
export const UNDETERMINED_LANGUAGE = 'und';

// ISO 639 primary subtags are two or three letters. Longer ones are reserved or unused in
// practice, and accepting them would let made-up tags grow the per-language counters.
const PRIMARY_SUBTAG = /^[a-z]{2,3}$/;

// Posts use a few dozen distinct tags, so each tag's subtag is worked out once. The memo is
// emptied when full, which bounds it against made-up tags.
const MEMO_LIMIT = 1000;
const subtagMemo = new Map<string, string | null>();

/** Lower-cased primary subtag of one BCP 47 tag (`pt-BR` → `pt`), or null when malformed. */
export function primarySubtag(tag: string): string | null {
  const known = subtagMemo.get(tag);
  if (known !== undefined) return known;
  const lowered = tag.split('-', 1)[0]!.toLowerCase();
  const subtag = PRIMARY_SUBTAG.test(lowered) ? lowered : null;
  if (subtagMemo.size >= MEMO_LIMIT) subtagMemo.clear();
  subtagMemo.set(tag, subtag);
  return subtag;
}

/** Primary subtag of the first well-formed tag in `langs`, or `und` when there is none. */
export function primaryLanguage(langs: readonly string[]): string {
  for (const tag of langs) {
    const subtag = primarySubtag(tag);
    if (subtag) return subtag;
  }
  return UNDETERMINED_LANGUAGE;
}

/** Every distinct primary subtag in `langs`; `[und]` when there is none. */
export function languageSubtags(langs: readonly string[]): string[] {
  const found: string[] = [];
  for (const tag of langs) {
    const subtag = primarySubtag(tag);
    if (subtag && !found.includes(subtag)) found.push(subtag);
  }
  return found.length > 0 ? found : [UNDETERMINED_LANGUAGE];
}
