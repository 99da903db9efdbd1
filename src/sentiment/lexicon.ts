/**
 * The VADER word list: word or emoticon → valence (−4 to +4).
 *
 * The data comes from the `vader-sentiment` npm package (1.1.3), which ships the lexicon of
 * vaderSentiment 2.5. The reference (vaderSentiment 3.3.2) changed four entries since then,
 * and LEXICON_CORRECTIONS applies them. The parity tests need each of the four and no other.
 * NOTE: an entry that no test text contains could still differ from the reference's.
 */
import { lexicon as packagedLexicon } from 'vader-sentiment/src/vader_lexicon.js';

/** Entries of the 3.3.2 lexicon (vader_lexicon.txt) that differ from the packaged 2.5 one. */
export const LEXICON_CORRECTIONS: ReadonlyMap<string, number> = new Map([
  ['heart', 3.2], // missing in 2.5
  ['hearts', 3.3], // missing in 2.5
  ['flawed', -2.1], // missing in 2.5
  ['badass', 1.4], // -0.6 in 2.5
]);

function buildLexicon(): ReadonlyMap<string, number> {
  const words = new Map<string, number>(Object.entries(packagedLexicon));
  for (const [word, valence] of LEXICON_CORRECTIONS) words.set(word, valence);
  return words;
}

/**
 * Word or emoticon → valence. The analyzer looks tokens up lowercased, as the reference does,
 * so the 14 keys with capitals (":D", "O_o") never match there either.
 */
export const LEXICON: ReadonlyMap<string, number> = buildLexicon();
