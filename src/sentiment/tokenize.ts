/**
 * Text preparation of the reference analyzer: emoji become their names, then the text is
 * split on Python whitespace and each word loses its leading and trailing ASCII punctuation.
 */
import { EMOJI_NAMES, MIN_EMOJI_CODE_POINT } from './emoji.ts';
import { codePointLength, isAsciiPunctuation, isPythonWhitespace } from './python-text.ts';

const SPACE = 0x20;

/**
 * Replaces every emoji code point by its name. Like the reference, it puts a space before the
 * name unless the preceding character is an ASCII space, and none after it. So "love you❤️"
 * becomes "love you red heart\uFE0F", with the variation selector stuck to "heart".
 * Returns `text` itself when it contains no emoji.
 */
export function translateEmoji(text: string): string {
  const length = text.length;
  let index = 0;
  while (index < length && text.charCodeAt(index) < MIN_EMOJI_CODE_POINT) index++;
  if (index === length) return text;

  let output = '';
  let copiedUpTo = 0;
  let previousWasSpace = index === 0 || text.charCodeAt(index - 1) === SPACE;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code < MIN_EMOJI_CODE_POINT) {
      previousWasSpace = code === SPACE;
      index++;
      continue;
    }
    let codePoint = code;
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        codePoint = (code - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const name = EMOJI_NAMES.get(codePoint);
    if (name !== undefined) {
      output += text.slice(copiedUpTo, index);
      if (!previousWasSpace) output += ' ';
      output += name;
      copiedUpTo = index + width;
    }
    previousWasSpace = false;
    index += width;
  }
  return copiedUpTo === 0 ? text : output + text.slice(copiedUpTo);
}

/**
 * Splits like Python's `str.split()` and appends each word to `words`, stripped of leading
 * and trailing ASCII punctuation unless 2 or fewer code points would remain ("ok." and
 * ":)" stay whole, "good!!!" becomes "good").
 */
export function splitWords(text: string, words: string[]): void {
  const length = text.length;
  let index = 0;
  while (index < length) {
    while (index < length && isPythonWhitespace(text.charCodeAt(index))) index++;
    if (index === length) return;
    const start = index;
    while (index < length && !isPythonWhitespace(text.charCodeAt(index))) index++;
    words.push(stripPunctuationIfWord(text, start, index));
  }
}

function stripPunctuationIfWord(text: string, start: number, end: number): string {
  let first = start;
  let last = end;
  while (first < last && isAsciiPunctuation(text.charCodeAt(first))) first++;
  while (last > first && isAsciiPunctuation(text.charCodeAt(last - 1))) last--;
  if (first === start && last === end) return text.slice(start, end);

  // A code point takes one or two UTF-16 units, so only 3 or 4 units need counting.
  const units = last - first;
  const keepWhole = units <= 2 || (units <= 4 && codePointLength(text, first, last) <= 2);
  return keepWhole ? text.slice(start, end) : text.slice(first, last);
}
