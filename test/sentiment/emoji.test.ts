/**
 * The emoji → name table: Emoji 11.0 single code points with their 2018 names, as in the
 * reference's emoji list.
 */
import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EMOJI_11_NAMES, EMOJI_NAMES } from '../../src/sentiment/emoji.ts';
import { polarityScores } from '../../src/sentiment/index.ts';

const nameOf = (emoji: string): string | undefined => EMOJI_NAMES.get(emoji.codePointAt(0) as number);

const emoji = suite('sentiment emoji names');

emoji('table holds the Emoji 11.0 single code points', () => {
  assert.is(EMOJI_NAMES.size, 1_212);
  assert.is(nameOf('😀'), 'grinning face');
  assert.is(nameOf('🤬'), 'face with symbols on mouth', 'Emoji 5.0');
  assert.is(nameOf('🥺'), 'pleading face', 'Emoji 11.0');
  assert.is(nameOf('🥲'), undefined, 'Emoji 13.0 is newer than the list');
  assert.is(nameOf('🪦'), undefined, 'Emoji 13.0 is newer than the list');
});

emoji('text-style symbols and components have names', () => {
  assert.is(nameOf('❤'), 'red heart');
  assert.is(nameOf('♥'), 'heart suit');
  assert.is(nameOf('☺'), 'smiling face');
  assert.is(nameOf('©'), 'copyright');
  assert.is(nameOf('🏽'), 'medium skin tone');
  assert.is(nameOf('🦰'), 'red-haired');
});

emoji('sequence parts have no names of their own', () => {
  assert.is(nameOf('\ufe0f'), undefined, 'variation selector');
  assert.is(nameOf('\u200d'), undefined, 'zero-width joiner');
  assert.is(nameOf('🇺'), undefined, 'regional indicator');
  assert.is(nameOf('#'), undefined, 'keycap base');
});

emoji('renamed emoji keep their Emoji 11.0 names', () => {
  for (const [character, name] of EMOJI_11_NAMES) assert.is(nameOf(character), name, character);
  assert.is(nameOf('😡'), 'pouting face');
  assert.is(polarityScores('😡😡😡').compound, 0, '"pouting face" has no sentiment word');
  assert.is(nameOf('🤗'), 'hugging face');
});

emoji('emoji scores follow their names', () => {
  assert.is(polarityScores('love you ❤').compound, 0.8555, 'bare heart adds "heart"');
  assert.is(polarityScores('love you ❤️').compound, 0.6369, 'heart with U+FE0F is not a lexicon word');
  assert.is(polarityScores('what a day 🔥').compound, -0.34, '"fire" is negative');
});

emoji('whole table is unchanged', () => {
  // The table was compared by hand with the reference's Emoji 11.0 list. A new emojibase-data
  // release that renames an emoji changes this digest: compare the new names with that list
  // and extend EMOJI_11_NAMES before updating the digest.
  const serialized = [...EMOJI_NAMES]
    .sort((a, b) => a[0] - b[0])
    .map(([codePoint, name]) => `${codePoint.toString(16)}\t${name}`)
    .join('\n');
  const digest = createHash('sha256').update(serialized).digest('hex');
  assert.is(digest, 'd052995f3a10ce7643749be2c2951b76f30576bf0e848aa192e4659f553686f0');
});

emoji.run();
