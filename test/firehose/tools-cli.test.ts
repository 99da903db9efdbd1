import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { parseDuration } from '../../src/cli/record.ts';
import { startReplayServer, type ReplayServer } from '../../src/firehose/replay-server.ts';
import { toCapture } from '../support/jetstream-fixtures.ts';
import { waitFor } from '../support/replay-faults.ts';
import { entryCommand, repositoryRoot, temporaryFolder } from '../support/service-process.ts';
import { sharedDataPath, skipWithoutSharedData } from '../support/shared-data.ts';

const SAMPLE = 'jetstream-sample.ndjson';

interface Running {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function run(args: string[]): Running {
  const { command, args: fullArgs } = entryCommand(args);
  const child = spawn(command, fullArgs, { cwd: repositoryRoot, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function runToEnd(args: string[]): { status: number | null; output: string } {
  const { command, args: fullArgs } = entryCommand(args);
  const result = spawnSync(command, fullArgs, { cwd: repositoryRoot, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' }, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const tools = suite<{ server?: ReplayServer; processes: Running[]; folder?: ReturnType<typeof temporaryFolder> }>('record and replay commands', { processes: [] });

tools.after.each(async (context) => {
  for (const running of context.processes) {
    if (running.child.exitCode === null && running.child.signalCode === null) process.kill(running.child.pid!, 'SIGKILL');
    await running.exited;
  }
  context.processes = [];
  await context.server?.close();
  context.folder?.remove();
  context.server = context.folder = undefined;
});

tools('record writes the frames unchanged', async (context) => {
  if (skipWithoutSharedData(SAMPLE)) return;
  const sample = readFileSync(sharedDataPath(SAMPLE)!, 'utf8');
  context.server = await startReplayServer({ file: sharedDataPath(SAMPLE)! });
  context.folder = temporaryFolder('skypulse-record-');
  const out = join(context.folder.path, 'capture.ndjson');

  const recorder = run(['record', '--url', context.server.url, '--out', out, '--events', '162']);
  context.processes.push(recorder);
  const code = await recorder.exited;
  assert.is(code, 0, `record exit code; output:\n${recorder.output()}`);
  assert.is(readFileSync(out, 'utf8'), sample, 'the capture equals the served lines, byte for byte');
  assert.match(recorder.output(), /recorded 162 events, \d+\/s, [\d.]+ MiB/, 'progress line with events, rate and size');
  assert.match(recorder.output(), 'event limit reached', 'says why it stopped');
});

tools('record stops after --duration', async (context) => {
  context.server = await startReplayServer({ events: toCapture([]) });
  context.folder = temporaryFolder('skypulse-record-');
  const recorder = run(['record', '--url', context.server.url, '--out', join(context.folder.path, 'empty.ndjson'), '--duration', '500ms']);
  context.processes.push(recorder);
  assert.is(await recorder.exited, 0, `record exit code; output:\n${recorder.output()}`);
  assert.match(recorder.output(), 'duration reached', 'says why it stopped');
});

tools('replay serves a capture until SIGTERM', async (context) => {
  if (skipWithoutSharedData(SAMPLE)) return;
  const replayer = run(['replay', '--file', sharedDataPath(SAMPLE)!, '--port', '0']);
  context.processes.push(replayer);
  await waitFor(() => /ws:\/\/127\.0\.0\.1:\d+\/subscribe/.test(replayer.output()), 20_000, () => `replay did not announce its URL:\n${replayer.output()}`);
  const url = /ws:\/\/127\.0\.0\.1:\d+\/subscribe/.exec(replayer.output())![0];

  const client = new WebSocket(`${url}?wantedCollections=app.bsky.feed.post`, { perMessageDeflate: false });
  const kinds: string[] = [];
  client.on('message', (data) => kinds.push((JSON.parse(String(data)) as { kind: string }).kind));
  await waitFor(() => kinds.length === 23, 10_000, () => `received ${kinds.length} of 23 events`);
  assert.is(kinds.filter((kind) => kind === 'commit').length, 19, 'post commits');
  assert.is(kinds.filter((kind) => kind !== 'commit').length, 4, 'identity and account events sent regardless of the filter');
  client.terminate();

  process.kill(replayer.child.pid!, 'SIGTERM');
  assert.is(await replayer.exited, 0, 'exit code after SIGTERM');
});

tools('invalid arguments exit 2 with the reason', () => {
  const cases: Array<[string[], string]> = [
    [['replay', '--file', 'x.ndjson', '--host', '0.0.0.0'], '--host must be a loopback address'],
    [['record', '--url', 'http://127.0.0.1:1/subscribe', '--out', 'x.ndjson'], 'ws:// or wss://'],
  ];
  for (const [args, message] of cases) {
    const result = runToEnd(args);
    assert.is(result.status, 2, `exit code of ${args.join(' ')}`);
    assert.match(result.output, message, `message of ${args.join(' ')}`);
    assert.match(result.output, 'Usage: skypulse', `usage shown for ${args.join(' ')}`);
  }
});

tools('durations accept common units', () => {
  assert.is(parseDuration('90s'), 90_000, 'seconds');
  assert.is(parseDuration('5m'), 300_000, 'minutes');
  assert.is(parseDuration('1h'), 3_600_000, 'hours');
  assert.is(parseDuration('500ms'), 500, 'milliseconds');
  assert.is(parseDuration('2.5'), 2500, 'plain seconds');
  assert.throws(() => parseDuration('soon'), /--duration must look like 90s/, 'invalid duration');
  assert.throws(() => parseDuration('0s'), /must be positive/, 'zero duration');
});

tools('replay of a missing file exits 1', () => {
  const result = runToEnd(['replay', '--file', '/nonexistent/capture.ndjson', '--port', '0']);
  assert.is(result.status, 1, 'exit code');
  assert.match(result.output, 'Cannot read capture file "/nonexistent/capture.ndjson"', 'message names the file');
});

tools.run();
