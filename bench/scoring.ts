/**
 * Scoring throughput on one core: the texts of the VADER paper's four ground-truth corpora
 * (23,703 texts, 101 characters on average) scored by this project's analyzer and by the
 * npm `vader-sentiment` port in the same process. Each side gets a warm-up pass, then
 * `runs` timed passes over all texts; the median pass gives texts per second.
 *
 * Run directly with `npx tsx bench/scoring.ts [--quick] [--runs N] [--json]`; `--json` prints
 * the result object instead of the table. The corpus file is read from $SKYPULSE_SHARED_DATA
 * or ../shared/data beside the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import vader from 'vader-sentiment';
import { polarityScores } from '../src/sentiment/index.ts';

export interface ScoringBenchOptions {
  /** Score every 8th text and default to 3 runs, for a run of a few seconds. */
  readonly quick?: boolean;
  /** Timed passes per analyzer; the median counts. Default 5, or 3 with `quick`. */
  readonly runs?: number;
}

export interface ScoringBenchResult {
  /** Texts per second of this project's analyzer (median pass). */
  readonly ours: number;
  /** Texts per second of `vader-sentiment` 1.1.3 on the same texts (median pass). */
  readonly peer: number;
  /** ours / peer. */
  readonly ratio: number;
  /** Texts per pass. */
  readonly texts: number;
  /**
   * Texts per second of process CPU time (median pass), for ours and the peer. On a shared
   * machine these vary less than the wall-clock rates, because time spent waiting for a core
   * does not count. They include the garbage collector's helper threads.
   */
  readonly cpu: { readonly ours: number; readonly peer: number };
}

const CORPUS_FILE = join('vader-groundtruth', 'reference-scores.tsv');
const QUICK_SAMPLE_STEP = 8;
/** Texts scored before timing, cycling through the corpus, so the JIT has optimised the code. */
const WARM_UP_TEXTS = 30_000;
const PEER_WARM_UP_TEXTS = 3_000;

function corpusPath(): string {
  const repositoryRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const folder = process.env.SKYPULSE_SHARED_DATA ?? join(repositoryRoot, '..', 'shared', 'data');
  const path = join(folder, CORPUS_FILE);
  if (!existsSync(path)) {
    throw new Error(`Benchmark corpus not found: ${path}. Set SKYPULSE_SHARED_DATA to the folder that holds ${CORPUS_FILE}.`);
  }
  return path;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };

/** Reads the text column of reference-scores.tsv, unescaped. */
function loadTexts(quick: boolean): string[] {
  const lines = readFileSync(corpusPath(), 'utf8').split('\n').slice(1).filter((line) => line.length > 0);
  const texts = lines.map((line) => (line.split('\t')[7] ?? '').replace(/\\([\\tnr])/g, (_match, code: string) => ESCAPES[code]));
  return quick ? texts.filter((_text, index) => index % QUICK_SAMPLE_STEP === 0) : texts;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function showProgress(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
  else process.stderr.write(`${line}\n`);
}

/** Keeps results alive so the engine cannot drop the scoring calls. */
let checksum = 0;

interface PassRates {
  /** Median texts per wall-clock second. */
  readonly wall: number;
  /** Median texts per second of process CPU time. */
  readonly cpu: number;
}

function timePasses(name: string, texts: readonly string[], runs: number, score: (text: string) => number): PassRates {
  const wallRates: number[] = [];
  const cpuRates: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    for (const text of texts) checksum += score(text);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    wallRates.push(texts.length / seconds);
    cpuRates.push(texts.length / ((cpu.user + cpu.system) / 1e6));
    const rate = Math.round(texts.length / seconds).toLocaleString('en-US');
    showProgress(`${name}: pass ${run}/${runs}, ${rate} texts/s`);
  }
  return { wall: median(wallRates), cpu: median(cpuRates) };
}

const scoreOurs = (text: string): number => polarityScores(text).compound;
const scorePeer = (text: string): number => vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;

/** Measures both analyzers on the ground-truth texts; throws when the corpus is missing. */
export function runScoringBench(options: ScoringBenchOptions = {}): ScoringBenchResult {
  const quick = options.quick ?? false;
  const runs = options.runs ?? (quick ? 3 : 5);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`Invalid runs ${String(runs)}: expected a positive integer.`);
  const texts = loadTexts(quick);

  showProgress('ours: warm-up');
  for (let index = 0; index < WARM_UP_TEXTS; index++) checksum += scoreOurs(texts[index % texts.length]);
  const ours = timePasses('ours', texts, runs, scoreOurs);

  showProgress('vader-sentiment: warm-up');
  for (const text of texts.slice(0, PEER_WARM_UP_TEXTS)) checksum += scorePeer(text);
  const peer = timePasses('vader-sentiment', texts, runs, scorePeer);

  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  return {
    ours: ours.wall,
    peer: peer.wall,
    ratio: ours.wall / peer.wall,
    texts: texts.length,
    cpu: { ours: ours.cpu, peer: peer.cpu },
  };
}

/** Times the scoring of one `length`-character text of words: median milliseconds of 5 runs after a warm-up. */
export function timeLongText(length: number): number {
  const text = 'bad good but great '.repeat(Math.ceil(length / 19)).slice(0, length);
  checksum += polarityScores(text).compound;
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    checksum += polarityScores(text).compound;
    times.push(performance.now() - started);
  }
  return median(times);
}

function parseArguments(argv: readonly string[]): ScoringBenchOptions {
  const quick = argv.includes('--quick');
  const runsIndex = argv.indexOf('--runs');
  if (runsIndex < 0) return { quick };
  const runs = Number(argv[runsIndex + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`Invalid --runs ${argv[runsIndex + 1]}: expected a positive integer.`);
  return { quick, runs };
}

function isDirectRun(): boolean {
  const script = process.argv[1];
  return script !== undefined && resolve(script) === fileURLToPath(import.meta.url);
}

function printReport(result: ScoringBenchResult): void {
  const format = (value: number): string => Math.round(value).toLocaleString('en-US');
  console.log(`texts per pass:            ${result.texts.toLocaleString('en-US')}`);
  console.log(`skypulse analyzer:         ${format(result.ours)} texts/s`);
  console.log(`vader-sentiment 1.1.3:     ${format(result.peer)} texts/s`);
  console.log(`ratio:                     ${result.ratio.toFixed(1)}x`);
  console.log(`per CPU second:            ${format(result.cpu.ours)} vs ${format(result.cpu.peer)} texts/s`);
  for (const length of [10_000, 1_000_000]) {
    console.log(`one ${length.toLocaleString('en-US')}-character text: ${timeLongText(length).toFixed(2)} ms`);
  }
}

if (isDirectRun()) {
  const argv = process.argv.slice(2);
  const result = runScoringBench(parseArguments(argv));
  if (argv.includes('--json')) console.log(JSON.stringify(result));
  else printReport(result);
  if (Number.isNaN(checksum)) console.error('Scoring produced NaN compound scores.');
}
