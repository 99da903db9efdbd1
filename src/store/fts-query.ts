/**
 * Turns a user's keyword search into an FTS5 query that cannot be a syntax error. Accepted:
 * words (all must match), `"quoted phrases"`, a trailing `*` for a prefix, `OR` between
 * alternatives, and `-word` to exclude. Everything else is treated as text: every term reaches
 * FTS5 inside double quotes, so characters such as `:`, `(` or `^` never act as operators.
 */
import { StoreError } from './errors.ts';

/** Longest keyword query accepted, in characters. */
export const MAX_KEYWORD_LENGTH = 500;
const MAX_TERMS = 32;

interface Term {
  text: string;
  prefix: boolean;
  exclude: boolean;
}

/** Returns the FTS5 MATCH expression for `input`, or throws `INVALID_KEYWORD`. */
export function toFtsQuery(input: string): string {
  if (input.length > MAX_KEYWORD_LENGTH) {
    throw new StoreError('INVALID_KEYWORD', `The keyword query is ${input.length} characters long; the maximum is ${MAX_KEYWORD_LENGTH}.`);
  }

  // Alternatives separated by OR, each a list of terms that must all match.
  const groups: Term[][] = [[]];
  const pattern = /(-?)"([^"]*)"(\*?)|(\S+)/g;
  let termCount = 0;
  for (const match of input.matchAll(pattern)) {
    if (match[4] === 'OR') {
      if (groups.at(-1)!.length > 0) groups.push([]);
      continue;
    }
    const term = match[2] !== undefined ? phrase(match) : word(match[4]!);
    if (!term) continue;
    groups.at(-1)!.push(term);
    termCount += 1;
  }
  if (termCount > MAX_TERMS) {
    throw new StoreError('INVALID_KEYWORD', `The keyword query has ${termCount} terms; the maximum is ${MAX_TERMS}.`);
  }

  const alternatives = groups.filter((group) => group.length > 0).map(expressionOf);
  if (alternatives.length === 0 || alternatives.some((expression) => expression === null)) {
    throw new StoreError(
      'INVALID_KEYWORD',
      `The keyword query ${JSON.stringify(input)} has no word to search for; give at least one word that is not excluded with "-".`,
    );
  }
  return alternatives.map((expression) => `(${expression})`).join(' OR ');
}

function phrase(match: RegExpMatchArray): Term | null {
  const text = searchable(match[2]!);
  return text ? { text, prefix: match[3] === '*', exclude: match[1] === '-' } : null;
}

function word(raw: string): Term | null {
  const exclude = raw.startsWith('-') && raw.length > 1;
  const body = exclude ? raw.slice(1) : raw;
  const prefix = body.endsWith('*');
  const text = searchable(prefix ? body.slice(0, -1) : body);
  return text ? { text, prefix, exclude } : null;
}

/** Keeps the characters the unicode61 tokenizer indexes; a term of punctuation only is dropped. */
function searchable(text: string): string {
  return /[\p{L}\p{N}]/u.test(text) ? text.trim() : '';
}

/** `a AND b NOT c` for one alternative; null when every term is excluded. */
function expressionOf(terms: Term[]): string | null {
  const included = terms.filter((term) => !term.exclude).map(quoted);
  if (included.length === 0) return null;
  const excluded = terms.filter((term) => term.exclude).map(quoted);
  const positive = included.join(' AND ');
  return excluded.length === 0 ? positive : `(${positive}) ${excluded.map((term) => `NOT ${term}`).join(' ')}`;
}

function quoted(term: Term): string {
  return `"${term.text.replaceAll('"', '""')}"${term.prefix ? ' *' : ''}`;
}
