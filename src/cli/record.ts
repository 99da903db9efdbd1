/**
 * `skypulse record --url ws://… --out FILE [--duration 60s] [--events N]`: writes the raw text
 * frames of a Jetstream subscription to an NDJSON file, one frame per line, with a progress
 * line (events, rate, size) on standard error. A dropped connection is resumed from the
 * `time_us` of the last frame written, so the file has no gap and no repeated event.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { createLogger } from '../log/logger.ts';
import { createBackoff } from '../firehose/backoff.ts';
import { createUpstreamConnection } from '../firehose/upstream-connection.ts';
import type { FrameData } from '../firehose/frame-decoder.ts';
import { onShutdownSignal, stderr, stdout } from '../runtime/index.ts';
import { createUpstreamSocket } from '../runtime/websocket.ts';

const HELP = `Usage: skypulse record --url URL --out FILE [options]

Connects to a Jetstream /subscribe endpoint and writes every text frame, unchanged, as one
line of FILE. Stops after --duration or --events, or on SIGINT or SIGTERM.

Options:
  --url URL         full subscribe URL with its parameters (required), for example
                    wss://jetstream1.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post
  --out FILE        NDJSON file to write; an existing file is replaced (required)
  --duration TIME   stop after this long: 90s, 5m, 1h, 500ms, or plain seconds
  --events N        stop after N events
`;

/** Parses `90s`, `5m`, `1h`, `500ms` or plain seconds into milliseconds. */
export function parseDuration(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  if (!match) throw new Error(`--duration must look like 90s, 5m, 1h or 500ms, got ${JSON.stringify(raw)}`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const value = Number(match[1]) * factor;
  if (value <= 0) throw new Error(`--duration must be positive, got ${JSON.stringify(raw)}`);
  return value;
}

function parseCount(raw: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--events must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

const TIME_US = /"time_us":(\d{1,17})[,}]/;
/** Bytes gathered before one write to the file. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

export async function record(args: string[]): Promise<number> {
  let url: URL;
  let out: string;
  let durationMs: number | null;
  let maxEvents: number | null;
  try {
    const { values } = parseArgs({
      args,
      options: {
        url: { type: 'string' },
        out: { type: 'string' },
        duration: { type: 'string' },
        events: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    if (values.help) {
      stdout(HELP);
      return 0;
    }
    if (!values.url) throw new Error('--url is required');
    if (!values.out) throw new Error('--out is required');
    url = new URL(values.url);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`--url must be a ws:// or wss:// URL, got ${JSON.stringify(values.url)}`);
    out = values.out;
    durationMs = values.duration === undefined ? null : parseDuration(values.duration);
    maxEvents = values.events === undefined ? null : parseCount(values.events);
  } catch (error) {
    stderr(`skypulse record: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }

  let fd: number;
  try {
    fd = openSync(out, 'w');
  } catch (error) {
    stderr(`skypulse record: cannot open ${JSON.stringify(out)} for writing: ${(error as Error).message}\n`);
    return 1;
  }

  const startedAt = Date.now();
  let events = 0;
  let bytes = 0;
  let skipped = 0;
  let lastTimeUs: number | null = null;
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let finish: (reason: string) => void = () => undefined;
  const finished = new Promise<string>((resolve) => (finish = resolve));

  const flush = () => {
    if (bufferedBytes === 0) return;
    writeSync(fd, Buffer.concat(buffered));
    buffered = [];
    bufferedBytes = 0;
  };

  const progress = (final: boolean) => {
    const seconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
    const line = `recorded ${events} events, ${Math.round(events / seconds)}/s, ${(bytes / 1_048_576).toFixed(1)} MiB${skipped ? `, ${skipped} frames skipped` : ''}`;
    // On a terminal the line is rewritten in place; in a log file each update is its own line.
    const terminal = process.stderr.isTTY === true;
    stderr(terminal ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };

  const onFrame = (data: FrameData, isBinary: boolean) => {
    if (maxEvents !== null && events >= maxEvents) return;
    const frame = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    // A binary (compressed) frame or one spanning lines would not be one NDJSON line.
    if (isBinary || frame.includes(0x0a)) {
      skipped += 1;
      return;
    }
    const match = TIME_US.exec(frame.subarray(0, 200).toString('latin1'));
    const timeUs = match ? Number(match[1]) : null;
    if (timeUs !== null && lastTimeUs !== null && timeUs <= lastTimeUs) return;
    if (timeUs !== null) lastTimeUs = timeUs;

    buffered.push(frame, Buffer.from('\n'));
    bufferedBytes += frame.length + 1;
    bytes += frame.length + 1;
    events += 1;
    if (bufferedBytes >= WRITE_BUFFER_BYTES) flush();
    if (maxEvents !== null && events >= maxEvents) finish('event limit reached');
  };

  const logger = createLogger('warn', { write: (line: string) => stderr(line) }).child({ component: 'record' });
  const connection = createUpstreamConnection({
    endpoints: [url.toString()],
    buildUrl(endpoint) {
      const attempt = new URL(endpoint);
      if (lastTimeUs !== null) attempt.searchParams.set('cursor', String(lastTimeUs));
      return attempt.toString();
    },
    socketFactory: createUpstreamSocket,
    socketOptions: () => ({ perMessageDeflate: true, maxPayload: 64 * 1024 * 1024, handshakeTimeoutMs: 30_000 }),
    backoff: createBackoff({ minMs: 500, maxMs: 30_000 }),
    healthyMs: 30_000,
    stallTimeoutMs: 60_000,
    pingIntervalMs: 15_000,
    onFrame,
    onStateChange: () => undefined,
    now: Date.now,
    logger,
  });

  const removeSignal = onShutdownSignal((signal) => finish(`${signal} received`));
  const deadline = durationMs === null ? null : setTimeout(() => finish('duration reached'), durationMs);
  const ticker = setInterval(() => {
    flush();
    progress(false);
  }, process.stderr.isTTY === true ? 1000 : 5000);

  connection.start();
  const reason = await finished;
  clearInterval(ticker);
  if (deadline) clearTimeout(deadline);
  removeSignal();
  await connection.stop();
  flush();
  closeSync(fd);
  progress(true);
  stderr(`skypulse record: ${reason}; wrote ${out}\n`);
  return 0;
}
