/**
 * `skypulse replay --file PATH [--port 6008] [--host 127.0.0.1] [--speed 1|N|max] [--loop]`:
 * serves an NDJSON capture as a Jetstream `/subscribe` endpoint on the loopback interface,
 * until SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { readCapture } from '../firehose/capture.ts';
import { startReplayServer } from '../firehose/replay-server.ts';
import { onShutdownSignal, stderr, stdout } from '../runtime/index.ts';

const HELP = `Usage: skypulse replay --file PATH [options]

Serves an NDJSON capture (one Jetstream event per line, as written by "skypulse record")
as a Jetstream v1 /subscribe endpoint. Honours cursor, wantedCollections, wantedDids and
maxMessageSizeBytes; identity and account events are sent regardless of wantedCollections.
Without a cursor a client gets the capture from its first event; after the last event the
socket stays open like a live tail.

Options:
  --file PATH       capture to serve (required)
  --port N          TCP port, 0 picks a free one (default 6008)
  --host ADDRESS    loopback address to listen on (default 127.0.0.1)
  --speed S         1 = original pace, N = N times faster, max = as fast as the client reads
                    (default max)
  --loop            start over after the last event, with times shifted forward, instead
                    of idling; the same posts (same AT-URIs) are sent again on every pass
`;

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

function parseSpeed(raw: string): number | 'max' {
  if (raw === 'max') return 'max';
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--speed must be a positive number or "max", got ${JSON.stringify(raw)}`);
  return value;
}

function parsePort(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`--port must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`);
  return value;
}

export async function replay(args: string[]): Promise<number> {
  let file: string;
  let port: number;
  let host: string;
  let speed: number | 'max';
  let loop: boolean;
  try {
    const { values } = parseArgs({
      args,
      options: {
        file: { type: 'string' },
        port: { type: 'string', default: '6008' },
        host: { type: 'string', default: '127.0.0.1' },
        speed: { type: 'string', default: 'max' },
        loop: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    if (values.help) {
      stdout(HELP);
      return 0;
    }
    if (!values.file) throw new Error('--file is required');
    if (!LOOPBACK.test(values.host!)) throw new Error(`--host must be a loopback address such as 127.0.0.1, got ${JSON.stringify(values.host)}`);
    file = values.file;
    port = parsePort(values.port!);
    host = values.host!;
    speed = parseSpeed(values.speed!);
    loop = values.loop!;
  } catch (error) {
    stderr(`skypulse replay: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }

  let capture;
  try {
    capture = readCapture(file);
  } catch (error) {
    stderr(`skypulse replay: ${(error as Error).message}\n`);
    return 1;
  }
  if (capture.skippedLines > 0) {
    stderr(`skypulse replay: skipped ${capture.skippedLines} lines of ${file} that are not Jetstream events\n`);
  }

  const signalled = new Promise<string>((resolve) => onShutdownSignal(resolve));
  let server;
  try {
    server = await startReplayServer({
      events: capture.events,
      host,
      port,
      speed,
      loop,
      hooks: {
        onConnection: (connection) =>
          stderr(`skypulse replay: client ${connection.id} connected: ${connection.url.pathname}${connection.url.search}\n`),
        onClose: (connection) => stderr(`skypulse replay: client ${connection.id} disconnected after ${connection.sent} events\n`),
      },
    });
  } catch (error) {
    stderr(`skypulse replay: cannot listen on ${host}:${port}: ${(error as Error).message}\n`);
    return 1;
  }
  stderr(`skypulse replay: serving ${capture.events.length} events from ${file} on ${server.url} (speed ${speed}${loop ? ', looping' : ''})\n`);

  const signal = await signalled;
  stderr(`skypulse replay: ${signal} received; stopping\n`);
  await server.close();
  return 0;
}
