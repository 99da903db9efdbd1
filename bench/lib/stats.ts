/**
 * Summary statistics for benchmark runs: medians over runs, nearest-rank percentiles over
 * samples, and a fixed-bin latency histogram that worker processes fill and the harness merges.
 */

/** Median of `values`; the mean of the two middle values when the count is even. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list is undefined; pass at least one value.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Nearest-rank percentile: the smallest sample such that at least `p` percent of the samples
 * are less than or equal to it. `p` is in 0..100; p = 0 returns the minimum.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list is undefined; pass at least one value.');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile ${p} is invalid; expected a number from 0 to 100.`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Median, minimum and maximum of the per-run values of one measurement. */
export interface RunSummary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function summarizeRuns(values: readonly number[]): RunSummary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: [...values] };
}

/** Serialisable form of a histogram: bin width and the non-empty bins as [index, count] pairs. */
export interface HistogramData {
  binMs: number;
  bins: Array<[number, number]>;
  /** Samples above the last bin, kept exactly up to `MAX_EXACT_OVERFLOW` of them. */
  overflow: number[];
  /** Further samples above the last bin, in bins as wide as the whole fine range: [index, count]. */
  coarse: Array<[number, number]>;
  count: number;
}

/**
 * Number of samples above the fine range that are kept exactly. Later ones go to coarse bins,
 * so a long looped soak (re-sent URIs give latencies of minutes) still fits in one message.
 */
export const MAX_EXACT_OVERFLOW = 10_000;

/**
 * Latency histogram with bins of `binMs` milliseconds up to `maxMs`; larger samples are kept
 * exactly. Percentiles are exact to one bin width (the upper edge of the bin is reported).
 */
export class LatencyHistogram {
  readonly binMs: number;
  readonly #bins: Uint32Array;
  readonly #overflow: number[] = [];
  /** Width of a coarse bin: the whole fine range. */
  readonly #coarseMs: number;
  readonly #coarse = new Map<number, number>();
  #count = 0;
  #sum = 0;
  #max = -Infinity;
  #min = Infinity;

  constructor(binMs = 0.1, maxMs = 10_000) {
    if (!(binMs > 0) || !(maxMs > binMs)) throw new Error(`invalid histogram bounds binMs=${binMs} maxMs=${maxMs}; need 0 < binMs < maxMs.`);
    this.binMs = binMs;
    this.#bins = new Uint32Array(Math.ceil(maxMs / binMs));
    this.#coarseMs = this.#bins.length * binMs;
  }

  /** Adds one sample in milliseconds; negative samples (clock skew) count as 0. */
  record(ms: number): void {
    const value = ms > 0 ? ms : 0;
    const index = Math.floor(value / this.binMs);
    if (index < this.#bins.length) this.#bins[index]!++;
    else this.#addOverflow(value);
    this.#count++;
    this.#sum += value;
    if (value > this.#max) this.#max = value;
    if (value < this.#min) this.#min = value;
  }

  get count(): number {
    return this.#count;
  }

  get mean(): number {
    return this.#count === 0 ? NaN : this.#sum / this.#count;
  }

  get max(): number {
    return this.#count === 0 ? NaN : this.#max;
  }

  /** Nearest-rank percentile, as the upper edge of the bin holding that rank. */
  percentile(p: number): number {
    if (this.#count === 0) return NaN;
    if (!(p >= 0 && p <= 100)) throw new Error(`percentile ${p} is invalid; expected a number from 0 to 100.`);
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    let seen = 0;
    for (let index = 0; index < this.#bins.length; index++) {
      seen += this.#bins[index]!;
      if (seen >= rank) return (index + 1) * this.binMs;
    }
    // Exact samples and coarse bins (at their upper edge) in one ascending list of counts.
    const rest: Array<[value: number, count: number]> = this.#overflow.map((value) => [value, 1]);
    for (const [coarseIndex, count] of this.#coarse) rest.push([(coarseIndex + 1) * this.#coarseMs, count]);
    rest.sort((a, b) => a[0] - b[0]);
    for (const [value, count] of rest) {
      seen += count;
      if (seen >= rank) return value;
    }
    return this.#max;
  }

  toJSON(): HistogramData {
    const bins: Array<[number, number]> = [];
    for (let index = 0; index < this.#bins.length; index++) {
      if (this.#bins[index]! > 0) bins.push([index, this.#bins[index]!]);
    }
    return { binMs: this.binMs, bins, overflow: [...this.#overflow], coarse: [...this.#coarse], count: this.#count };
  }

  /** Adds the samples of a serialised histogram with the same bin width; merged samples count at bin resolution in `mean` and `max`. */
  merge(data: HistogramData): void {
    if (data.binMs !== this.binMs) throw new Error(`cannot merge a histogram with bin ${data.binMs} ms into one with bin ${this.binMs} ms.`);
    for (const [index, count] of data.bins) {
      if (index >= this.#bins.length) throw new Error(`histogram bin ${index} is out of range (${this.#bins.length} bins).`);
      this.#bins[index]! += count;
      this.#count += count;
      const lower = index * this.binMs;
      this.#sum += count * (lower + this.binMs / 2);
      if (lower + this.binMs > this.#max) this.#max = lower + this.binMs;
      if (lower < this.#min) this.#min = lower;
    }
    for (const value of data.overflow) {
      this.#addOverflow(value);
      this.#count++;
      this.#sum += value;
      if (value > this.#max) this.#max = value;
    }
    for (const [coarseIndex, count] of data.coarse) {
      const upper = (coarseIndex + 1) * this.#coarseMs;
      this.#coarse.set(coarseIndex, (this.#coarse.get(coarseIndex) ?? 0) + count);
      this.#count += count;
      this.#sum += count * (upper - this.#coarseMs / 2);
      if (upper > this.#max) this.#max = upper;
    }
  }

  #addOverflow(value: number): void {
    if (this.#overflow.length < MAX_EXACT_OVERFLOW) {
      this.#overflow.push(value);
      return;
    }
    const coarseIndex = Math.floor(value / this.#coarseMs);
    this.#coarse.set(coarseIndex, (this.#coarse.get(coarseIndex) ?? 0) + 1);
  }
}
