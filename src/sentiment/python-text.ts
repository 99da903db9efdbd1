/**
 * Python `str` behaviour that the reference's scores depend on, reproduced for JavaScript
 * strings. The reference ran on Python 3.11 (Unicode 14.0). JavaScript strings are UTF-16
 * while Python counts code points, so lengths here count a surrogate pair once.
 */

/** Code points that Python's `str.split()` and `str.isspace()` treat as whitespace. */
const PYTHON_WHITESPACE_CODES = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];
const MAX_WHITESPACE_CODE = 0x3000;
const whitespaceTable = new Uint8Array(MAX_WHITESPACE_CODE + 1);
for (const code of PYTHON_WHITESPACE_CODES) whitespaceTable[code] = 1;

/** Returns whether a UTF-16 code unit is Python whitespace (all of it is in the BMP). */
export function isPythonWhitespace(code: number): boolean {
  return code <= MAX_WHITESPACE_CODE && whitespaceTable[code] === 1;
}

/** Python's `string.punctuation`: the 32 ASCII punctuation characters. */
const punctuationTable = new Uint8Array(128);
for (const character of '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~') punctuationTable[character.charCodeAt(0)] = 1;

export function isAsciiPunctuation(code: number): boolean {
  return code < 128 && punctuationTable[code] === 1;
}

/** Counts the code points in `text.slice(start, end)`, where a lone surrogate counts as one. */
export function codePointLength(text: string, start: number, end: number): number {
  let length = end - start;
  for (let index = start; index < end - 1; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        index++;
      }
    }
  }
  return length;
}

export const HAS_ASCII_UPPER = 1;
export const HAS_ASCII_LOWER = 2;
export const HAS_NON_ASCII = 4;

/** Returns the bit set of HAS_ASCII_UPPER, HAS_ASCII_LOWER and HAS_NON_ASCII that `text` has. */
export function asciiCaseFlags(text: string): number {
  let flags = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 128) flags |= HAS_NON_ASCII;
    else if (code >= 97 && code <= 122) flags |= HAS_ASCII_LOWER;
    else if (code >= 65 && code <= 90) flags |= HAS_ASCII_UPPER;
  }
  return flags;
}

const UNCASED = 1;
const UPPER = 2;
/** Lowercase or titlecase: either makes Python's `isupper()` false. */
const LOWER = 3;

/**
 * Code points whose case differs between Unicode 14.0 and the newer Unicode data of
 * Node 20 and Deno 2.9 (ranges are inclusive). Python 3.11 treats U+0295 as a lowercase letter
 * and the others, assigned or given a case later, as uncased.
 */
const UNICODE_14_CASE_RANGES: ReadonlyArray<readonly [number, number, number]> = [
  [0x0295, 0x0295, LOWER],
  [0x10fc, 0x10fc, UNCASED],
  [0x1c89, 0x1c8a, UNCASED],
  [0xa7cb, 0xa7cf, UNCASED],
  [0xa7d2, 0xa7d2, UNCASED],
  [0xa7d4, 0xa7d4, UNCASED],
  [0xa7da, 0xa7dc, UNCASED],
  [0xa7f1, 0xa7f4, UNCASED],
  [0xab69, 0xab69, UNCASED],
  [0x10d50, 0x10d65, UNCASED],
  [0x10d70, 0x10d85, UNCASED],
  [0x16ea0, 0x16eb8, UNCASED],
  [0x16ebb, 0x16ed3, UNCASED],
  [0x1df25, 0x1df2a, UNCASED],
  [0x1e030, 0x1e06d, UNCASED],
];

const LOWER_OR_TITLE = /[\p{Lowercase}\p{Lt}]/u;
const UPPERCASE = /\p{Uppercase}/u;

/** Case class per BMP code point, filled on first use; 0 means not yet computed. */
const bmpCaseCache = new Uint8Array(0x10000);

function computeCaseClass(codePoint: number): number {
  for (const [first, last, caseClass] of UNICODE_14_CASE_RANGES) {
    if (codePoint >= first && codePoint <= last) return caseClass;
  }
  const character = String.fromCodePoint(codePoint);
  if (LOWER_OR_TITLE.test(character)) return LOWER;
  if (UPPERCASE.test(character)) return UPPER;
  return UNCASED;
}

function caseClass(codePoint: number): number {
  if (codePoint > 0xffff) return computeCaseClass(codePoint);
  let cached = bmpCaseCache[codePoint];
  if (cached === 0) {
    cached = computeCaseClass(codePoint);
    bmpCaseCache[codePoint] = cached;
  }
  return cached;
}

/**
 * Implements Python's `str.isupper()`: true when the text has at least one uppercase
 * character and no lowercase or titlecase one. Non-ASCII letters count too ("ПРИВЕТ").
 */
export function pythonIsUpper(text: string): boolean {
  let cased = false;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 128) {
      if (code >= 97 && code <= 122) return false;
      if (code >= 65 && code <= 90) cased = true;
      continue;
    }
    let codePoint = code;
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        codePoint = (code - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
        index++;
      }
    }
    const found = caseClass(codePoint);
    if (found === LOWER) return false;
    if (found === UPPER) cased = true;
  }
  return cased;
}

/**
 * Rounds like Python's `round(x, digits)`: the exact binary value of `x` to `digits` decimals,
 * ties to even. Exact for the analyzer's range, |x| <= 1 and digits 0 to 6. Returns +0 for a
 * zero result, where Python returns -0.0 for negative inputs.
 */
export function pythonRound(x: number, digits: number): number {
  const scale = 10 ** digits;
  const scaled = x * scale;
  const fraction = scaled - Math.floor(scaled);
  // The product carries a relative error near 1e-16, so away from .5 Math.round is exact.
  if (Math.abs(fraction - 0.5) > 1e-6) return Math.round(scaled) / scale + 0;
  return roundNearTie(x, digits, scale);
}

function roundNearTie(x: number, digits: number, scale: number): number {
  // A double is exactly halfway between two decimals only when x * 2^(digits+1) is an odd
  // integer; multiplying by a power of two is exact.
  const doubled = x * 2 ** (digits + 1);
  if (Number.isInteger(doubled) && doubled % 2 !== 0) {
    const lower = Math.floor(x * scale);
    const even = lower % 2 === 0 ? lower : lower + 1;
    return even / scale + 0;
  }
  // Not a tie: toFixed rounds the exact binary value, which is what Python does too.
  return Number(x.toFixed(digits)) + 0;
}
