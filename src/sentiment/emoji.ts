/**
 * Emoji → English description, as the reference substitutes them before tokenising.
 *
 * The reference (vaderSentiment 3.3.2) ships the Unicode Emoji 11.0 list (2018) with its
 * short names and replaces each code point it finds there. It looks at one code point at a
 * time, so only single-code-point emoji are ever replaced: ZWJ sequences, flags, keycaps and
 * skin-tone variants fall apart into their parts. Emoji newer than 11.0 (🥲, 🫠) stay as they
 * are. The names come from `emojibase-data` (CLDR short names), limited to Emoji 11.0, with
 * EMOJI_11_NAMES restoring the 2018 names that CLDR has renamed since.
 */
import emojibaseData from 'emojibase-data/en/data.json' with { type: 'json' };

/** Newest Emoji version in the reference's list. */
export const REFERENCE_EMOJI_VERSION = 11;

/**
 * Names from the Emoji 11.0 list where today's CLDR name differs. The old name matters
 * because its words are scored: "pouting face" is neutral while "enraged face" is negative,
 * and "hugging face" has 2 words where "smiling face with open hands" has 5, one of them
 * positive.
 * NOTE: compiled by hand from the reference's emoji_utf8_lexicon.txt; the test vectors
 * cover only 😡.
 */
export const EMOJI_11_NAMES: ReadonlyMap<string, string> = new Map([
  ['🥰', 'smiling face with 3 hearts'],
  ['🤗', 'hugging face'],
  ['😵', 'dizzy face'],
  ['😡', 'pouting face'],
  ['🤖', 'robot face'],
  ['😺', 'grinning cat face'],
  ['😸', 'grinning cat face with smiling eyes'],
  ['😹', 'cat face with tears of joy'],
  ['😻', 'smiling cat face with heart-eyes'],
  ['😼', 'cat face with wry smile'],
  ['😽', 'kissing cat face'],
  ['🙀', 'weary cat face'],
  ['😿', 'crying cat face'],
  ['😾', 'pouting cat face'],
  ['🧑', 'adult'],
  ['🧓', 'older adult'],
  ['👲', 'man with Chinese cap'],
  ['🧔', 'bearded person'],
  ['👱', 'blond-haired person'],
  ['🤵', 'man in tuxedo'],
  ['👰', 'bride with veil'],
  ['🕴', 'man in suit levitating'],
  ['👫', 'man and woman holding hands'],
  ['👬', 'two men holding hands'],
  ['👭', 'two women holding hands'],
  ['🦰', 'red-haired'],
  ['🦱', 'curly-haired'],
  ['🦳', 'white-haired'],
  ['❣', 'heavy heart exclamation'],
  ['💤', 'zzz'],
  ['🎒', 'school backpack'],
  ['🥿', 'woman’s flat shoe'],
  ['🐺', 'wolf face'],
  ['🦊', 'fox face'],
  ['🦁', 'lion face'],
  ['🦄', 'unicorn face'],
  ['🐹', 'hamster face'],
  ['🐻', 'bear face'],
  ['🐼', 'panda face'],
  ['🐸', 'frog face'],
  ['🧱', 'bricks'],
  ['🎯', 'direct hit'],
  ['🧩', 'jigsaw'],
  ['💻', 'laptop computer'],
  ['🔫', 'pistol'],
  ['⭕', 'heavy large circle'],
  ['✅', 'white heavy check mark'],
  ['☑', 'ballot box with check'],
  ['✔', 'heavy check mark'],
  ['✖', 'heavy multiplication x'],
  ['➕', 'heavy plus sign'],
  ['➖', 'heavy minus sign'],
  ['➗', 'heavy division sign'],
  ['❓', 'question mark'],
  ['❗', 'exclamation mark'],
]);

interface EmojibaseEntry {
  emoji: string;
  label: string;
  version: number;
}

const VARIATION_SELECTOR_16 = 0xfe0f;

function buildEmojiNames(): ReadonlyMap<number, string> {
  const names = new Map<number, string>();
  for (const entry of emojibaseData as readonly EmojibaseEntry[]) {
    // Version 0 marks the 26 regional indicator letters, which are not emoji on their own.
    if (entry.version <= 0 || entry.version > REFERENCE_EMOJI_VERSION) continue;
    const codePoints = [...entry.emoji]
      .map((character) => character.codePointAt(0) ?? 0)
      .filter((codePoint) => codePoint !== VARIATION_SELECTOR_16);
    if (codePoints.length !== 1) continue;
    const codePoint = codePoints[0];
    names.set(codePoint, EMOJI_11_NAMES.get(String.fromCodePoint(codePoint)) ?? entry.label);
  }
  return names;
}

/** Code point → description, for every single-code-point emoji of Emoji 11.0. */
export const EMOJI_NAMES: ReadonlyMap<number, string> = buildEmojiNames();

/** Smallest code point with a description (©); text below it never needs translation. */
export const MIN_EMOJI_CODE_POINT = Math.min(...EMOJI_NAMES.keys());
