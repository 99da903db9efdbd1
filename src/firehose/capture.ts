/**
 * NDJSON captures of Jetstream traffic: one raw event per line, as `record` writes them and as
 * the replay server serves them. Each line is kept byte for byte and framed once, so replaying
 * costs no JSON work.
 */
import { readFileSync } from 'node:fs';

/** One event of a capture with the fields the replay server filters and paces on. */
export interface CaptureEvent {
  timeUs: number;
  /** Author DID, or an empty string when the line has none. */
  did: string;
  /** Event kind, or an empty string for a line without one (older Jetstream builds). */
  kind: string;
  /** Collection of a commit event, or null for identity and account events. */
  collection: string | null;
  /** The line as written in the capture (UTF-8, no line end). */
  payload: Buffer;
}

export interface Capture {
  events: CaptureEvent[];
  /** Lines that are not a JSON object with an integer `time_us`. */
  skippedLines: number;
}

/** Parses capture text; blank lines are ignored, unusable lines are counted and skipped. */
export function parseCapture(text: string): Capture {
  const events: CaptureEvent[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const event = parseLine(trimmed);
    if (event) events.push(event);
    else skippedLines += 1;
  }
  // Cursor lookup and pacing assume time order, which is how Jetstream sends events. A
  // hand-edited capture may differ, so it is sorted stably (equal times keep file order).
  for (let index = 1; index < events.length; index += 1) {
    if (events[index]!.timeUs < events[index - 1]!.timeUs) {
      events.sort((a, b) => a.timeUs - b.timeUs);
      break;
    }
  }
  return { events, skippedLines };
}

function parseLine(line: string): CaptureEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { did, time_us: timeUs, kind, commit } = value as Record<string, unknown>;
  // time_us is needed to place the event; anything else odd is served as it is.
  if (typeof timeUs !== 'number' || !Number.isSafeInteger(timeUs)) return null;
  const collection = typeof commit === 'object' && commit !== null ? (commit as Record<string, unknown>).collection : undefined;
  return {
    timeUs,
    did: typeof did === 'string' ? did : '',
    kind: typeof kind === 'string' ? kind : '',
    collection: typeof collection === 'string' ? collection : null,
    payload: Buffer.from(line, 'utf8'),
  };
}

/** Reads and parses a capture file; throws with the path when it cannot be read. */
export function readCapture(path: string): Capture {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read capture file ${JSON.stringify(path)}: ${(error as Error).message}`, { cause: error });
  }
  // NOTE: the whole file is held in memory (about twice its size); captures of several GB
  // would need a streaming reader.
  return parseCapture(text);
}
