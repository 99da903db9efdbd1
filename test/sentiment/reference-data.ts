/**
 * Readers for the reference scores of the Python vaderSentiment 3.3.2 analyzer: the hard
 * cases (vader-reference.tsv) and the VADER paper's four ground-truth corpora
 * (vader-groundtruth/reference-scores.tsv). Both are tab-separated with escaped text.
 */
import { readFileSync } from 'node:fs';

export const HARD_CASES_FILE = 'vader-reference.tsv';
export const GROUND_TRUTH_FILE = 'vader-groundtruth/reference-scores.tsv';

export interface ReferenceRow {
  /** Row id; for the ground truth, the corpus and the text id ("tweets 17"). */
  readonly id: string;
  readonly text: string;
  /** The reference's neg, neu, pos, compound as written in the file ("%.4f" or shorter). */
  readonly expected: readonly [number, number, number, number];
}

export interface GroundTruthRow extends ReferenceRow {
  readonly corpus: string;
  /** Mean rating of the human raters, -4 to +4. */
  readonly humanMean: number;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };

/** Undoes the files' escaping: \\ \t \n \r, and \uXXXX in the hard cases. */
export function unescapeText(escaped: string): string {
  return escaped.replace(/\\(u[0-9a-fA-F]{4}|[\\tnr])/g, (_match, code: string) =>
    code.length === 5 ? String.fromCharCode(Number.parseInt(code.slice(1), 16)) : ESCAPES[code],
  );
}

function dataLines(path: string): string[][] {
  const lines = readFileSync(path, 'utf8').split('\n');
  return lines.slice(1).filter((line) => line.length > 0).map((line) => line.split('\t'));
}

function scores(fields: readonly string[]): [number, number, number, number] {
  const [neg, neu, pos, compound] = fields.map(Number);
  return [neg, neu, pos, compound];
}

/** Reads the rows of vader-reference.tsv: id, text, neg, neu, pos, compound. */
export function readHardCases(path: string): ReferenceRow[] {
  return dataLines(path).map((fields) => ({
    id: fields[0],
    text: unescapeText(fields[1]),
    expected: scores(fields.slice(2, 6)),
  }));
}

/** Reads the rows of reference-scores.tsv: domain, id, human_mean, neg, neu, pos, compound, text. */
export function readGroundTruth(path: string): GroundTruthRow[] {
  return dataLines(path).map((fields) => ({
    id: `${fields[0]} ${fields[1]}`,
    corpus: fields[0],
    humanMean: Number(fields[2]),
    expected: scores(fields.slice(3, 7)),
    text: unescapeText(fields[7]),
  }));
}

/** Formats a score the way the files do: 4 decimals, with -0 written as 0. */
export function formatScore(value: number): string {
  const formatted = value.toFixed(4);
  return formatted === '-0.0000' ? '0.0000' : formatted;
}
