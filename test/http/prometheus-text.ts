/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests. It throws on the
 * first line that breaks the format. Checked: metric and label names, escapes, float values,
 * TYPE lines before samples, and families in one block. Histogram buckets must be cumulative
 * and agree with `_count`.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string | null;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Parses a value as Go's strconv.ParseFloat does, which the format specifies (NaN and Inf in any case). */
function parseValue(text: string, line: number): number {
  if (/^nan$/i.test(text)) return NaN;
  const infinity = /^([-+]?)(inf|infinity)$/i.exec(text);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: value ${JSON.stringify(text)} is not a float`);
  return Number(text);
}

/** Parses `{a="x",b="y\"z"}` starting at `start`; returns the labels and the index after `}`. */
function parseLabels(text: string, start: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let index = start + 1;
  while (text[index] !== '}') {
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(index));
    if (!nameMatch || !LABEL_NAME.test(nameMatch[0])) throw new Error(`line ${line}: bad label name at column ${index}`);
    const name = nameMatch[0];
    index += name.length;
    if (text[index] !== '=' || text[index + 1] !== '"') throw new Error(`line ${line}: expected ="value" after label ${name}`);
    index += 2;
    let value = '';
    for (;;) {
      const char = text[index];
      if (char === undefined) throw new Error(`line ${line}: unterminated label value`);
      index += 1;
      if (char === '"') break;
      if (char === '\\') {
        const escaped = text[index];
        index += 1;
        if (escaped === 'n') value += '\n';
        else if (escaped === '\\' || escaped === '"') value += escaped;
        else throw new Error(`line ${line}: bad escape \\${escaped} in label ${name}`);
      } else value += char;
    }
    if (name in labels) throw new Error(`line ${line}: label ${name} repeated`);
    labels[name] = value;
    if (text[index] === ',') index += 1;
    else if (text[index] !== '}') throw new Error(`line ${line}: expected , or } after label ${name}`);
  }
  return { labels, end: index + 1 };
}

/** Family a sample name belongs to, given the declared families. */
function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(sampleName);
  if (direct) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family && (family.type === 'histogram' || (family.type === 'summary' && suffix !== '_bucket'))) return family;
  }
  return undefined;
}

function checkHistogram(family: Family): void {
  const groups = new Map<string, Sample[]>();
  const counts = new Map<string, number>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    if (sample.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      groups.set(key, [...(groups.get(key) ?? []), sample]);
    } else if (sample.name.endsWith('_count')) counts.set(key, sample.value);
  }
  for (const [key, buckets] of groups) {
    let previousLe = -Infinity;
    let previousCount = 0;
    for (const bucket of buckets) {
      const le = parseValue(bucket.labels.le!, 0);
      if (le <= previousLe) throw new Error(`${family.name}${key}: le values not increasing`);
      if (bucket.value < previousCount) throw new Error(`${family.name}${key}: bucket counts not cumulative`);
      previousLe = le;
      previousCount = bucket.value;
    }
    if (previousLe !== Infinity) throw new Error(`${family.name}${key}: no +Inf bucket`);
    if (counts.get(key) !== previousCount) throw new Error(`${family.name}${key}: +Inf bucket ${previousCount} differs from _count ${counts.get(key)}`);
  }
}

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const finished = new Set<string>();
  let current: Family | null = null;

  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (!match) return; // A plain comment.
      const [, keyword, name, rest] = match as unknown as [string, 'HELP' | 'TYPE', string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name ${JSON.stringify(name)}`);
      let family = families.get(name);
      if (!family) {
        if (finished.has(name)) throw new Error(`line ${line}: family ${name} appears twice`);
        family = { name, type: 'untyped', help: null, samples: [] };
        families.set(name, family);
      }
      if (current && current !== family) finished.add(current.name);
      current = family;
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`line ${line}: unknown type ${JSON.stringify(rest)}`);
        if (family.samples.length > 0) throw new Error(`line ${line}: TYPE of ${name} after its samples`);
        family.type = rest as Family['type'];
      } else family.help = rest;
      return;
    }

    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw);
    if (!nameMatch) throw new Error(`line ${line}: no metric name in ${JSON.stringify(raw)}`);
    const name = nameMatch[0];
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(raw, name.length, line);
      labels = parsed.labels;
      rest = raw.slice(parsed.end);
    }
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new Error(`line ${line}: expected " value [timestamp]"`);
    const value = parseValue(parts[0]!, line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`line ${line}: bad timestamp ${parts[1]}`);

    const family = familyOf(name, families);
    if (!family) throw new Error(`line ${line}: sample ${name} without a TYPE or HELP line`);
    if (family !== current) throw new Error(`line ${line}: sample ${name} outside its family block`);
    if (family.type === 'counter' && value < 0) throw new Error(`line ${line}: negative counter ${name}`);
    family.samples.push({ name, labels, value });
  });

  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** Value of the one sample of `family` whose labels include `labels`, or undefined. */
export function sampleValue(families: Map<string, Family>, sampleName: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== sampleName) continue;
      if (Object.entries(labels).every(([key, value]) => sample.labels[key] === value)) return sample.value;
    }
  }
  return undefined;
}
