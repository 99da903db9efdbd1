import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'node:http';
import { Agent } from 'node:http';
import { io as connectClient } from 'socket.io-client';
import { startServiceProcess, temporaryFolder, entryCommand, repositoryRoot, type ServiceProcess } from '../support/service-process.ts';
import { runtimeName, writeThreadByDefault } from '../../src/runtime/index.ts';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { waitFor } from '../support/replay-faults.ts';

// Nothing listens on port 9 (discard) here, so the consumer only retries; no test reaches the internet.
const CLOSED_UPSTREAM = 'ws://127.0.0.1:9/subscribe';

const startup = suite<{ folder: ReturnType<typeof temporaryFolder>; service?: ServiceProcess }>('startup');

startup.before.each((context) => {
  context.folder = temporaryFolder();
});

startup.after.each(async (context) => {
  await context.service?.stop('SIGKILL').catch(() => undefined);
  context.service = undefined;
  context.folder.remove();
});

startup('serves /api/stats and /healthz', async (context) => {
  context.service = await startServiceProcess({
    env: { JETSTREAM_URL: CLOSED_UPSTREAM, DATABASE_URL: `file:${context.folder.path}/db.sqlite` },
  });
  const stats = await fetch(`${context.service.baseUrl}/api/stats`);
  assert.is(stats.status, 200, '/api/stats status');
  assert.match(stats.headers.get('content-type') ?? '', /application\/json/, '/api/stats content type');
  const body = (await stats.json()) as Record<string, unknown>;
  assert.is(body.runtime, runtimeName, 'runtime field names the runtime running the service');
  assert.type(body.version, 'number', 'version field');
  assert.type(body.serviceVersion, 'string', 'serviceVersion field');
  assert.type(body.uptimeSeconds, 'number', 'uptimeSeconds field');
  assert.ok(!Number.isNaN(Date.parse(String(body.startedAt))), 'startedAt is a date');

  const health = await fetch(`${context.service.baseUrl}/healthz`);
  assert.is(health.status, 200, '/healthz status');
  await health.body?.cancel();
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  startup(`${signal} with open clients exits 0 quickly`, async (context) => {
    context.service = await startServiceProcess({
      env: { JETSTREAM_URL: CLOSED_UPSTREAM, DATABASE_URL: `file:${context.folder.path}/db.sqlite` },
    });
    const { baseUrl, port } = context.service;

    // An idle keep-alive HTTP connection, which a bare server.close() would wait for.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await new Promise<void>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/healthz', agent }, (response) => {
        response.resume();
        response.on('end', resolve);
      }).on('error', reject).end();
    });

    const client = connectClient(baseUrl, { transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('connect_error', reject);
    });
    const disconnected = new Promise<string>((resolve) => client.once('disconnect', resolve));

    const result = await context.service.stop(signal);
    assert.is(result.code, 0, `exit code after ${signal}`);
    assert.ok(result.elapsedMs < 10_000, `exit took ${Math.round(result.elapsedMs)} ms, limit 10000`);
    assert.ok(await Promise.race([disconnected, new Promise((r) => setTimeout(() => r(false), 2000))]), 'socket.io client saw a disconnect');
    client.close();
    agent.destroy();
    const lines = context.service.logLines().map((line) => line.msg);
    assert.ok(lines.includes('stopped'), 'logged "stopped"');
  });
}

for (const [setting, expected] of [['auto', writeThreadByDefault], ['true', true], ['false', false]] as const) {
  startup(`DATABASE_WRITE_THREAD=${setting} chooses the write path`, async (context) => {
    context.service = await startServiceProcess({
      env: { JETSTREAM_URL: CLOSED_UPSTREAM, DATABASE_URL: `file:${context.folder.path}/db.sqlite`, DATABASE_WRITE_THREAD: setting },
    });
    const stats = await fetch(`${context.service.baseUrl}/api/stats`);
    assert.is(stats.status, 200, 'the service answers');
    await stats.body?.cancel();
    const result = await context.service.stop('SIGTERM');
    assert.is(result.code, 0, 'the service exits 0, the write thread included');
    const started = context.service.logLines().some((line) => line.msg === 'write thread started');
    assert.is(started, expected, `write thread ${expected ? 'started' : 'not started'} on ${runtimeName}`);
  });
}

for (const [setting, expected] of [['auto', availableParallelism() > 1], ['true', true], ['false', false]] as const) {
  startup(`SCORING_THREAD=${setting} chooses where catch-up batches are scored`, async (context) => {
    context.service = await startServiceProcess({
      env: { JETSTREAM_URL: CLOSED_UPSTREAM, DATABASE_URL: `file:${context.folder.path}/db.sqlite`, SCORING_THREAD: setting },
    });
    // The thread starts in the background; its log line follows the listening one.
    await waitFor(() => !expected || context.service!.logLines().some((line) => line.msg === 'scoring thread started'), 10_000, 'the scoring thread to start');
    const result = await context.service.stop('SIGTERM');
    assert.is(result.code, 0, 'the service exits 0, the scoring thread included');
    const started = context.service.logLines().some((line) => line.msg === 'scoring thread started');
    assert.is(started, expected, `scoring thread ${expected ? 'started' : 'not started'} on ${runtimeName}`);
  });
}

startup('launchers limit malloc arenas to 2', () => {
  const scripts = (JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  assert.match(scripts.start!, 'MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} exec node dist/server.js', 'npm start sets 2 unless the caller set a value');
  const tasks = (JSON.parse(readFileSync(join(repositoryRoot, 'deno.json'), 'utf8')) as { tasks: Record<string, string> }).tasks;
  assert.ok(tasks.start!.startsWith('MALLOC_ARENA_MAX=2 deno run '), `deno task start sets 2: ${tasks.start}`);
  const dockerfile = readFileSync(join(repositoryRoot, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^ENV .*\bMALLOC_ARENA_MAX=2\b/m, 'the image sets 2');
});

startup('npm start script forwards SIGTERM', async (context) => {
  const scripts = (JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts[runtimeName === 'deno' ? 'start:deno' : 'start']!;
  assert.ok(script.startsWith('bash tools/setup.sh && '), `script starts with the set-up step: ${script}`);
  // The set-up step installs and builds, which the suite has done; the rest runs in the same
  // kind of shell npm uses, which stays the parent of the runtime unless the script execs it.
  const launch = script.replace('bash tools/setup.sh', 'true');
  context.service = await startServiceProcess({
    command: { command: '/bin/sh', args: ['-c', launch] },
    env: { JETSTREAM_URL: CLOSED_UPSTREAM, DATABASE_URL: `file:${context.folder.path}/db.sqlite` },
  });
  const result = await context.service.stop('SIGTERM');
  assert.is(result.code, 0, 'exit code after SIGTERM to the shell');
  const messages = context.service.logLines().map((line) => line.msg);
  assert.ok(messages.includes('stopped'), 'the service shut down gracefully');
});

startup('invalid variable exits non-zero with a clear message', (context) => {
  const { command, args } = entryCommand();
  const result = spawnSync(command, args, {
    cwd: repositoryRoot,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', PORT: 'eighty', DATABASE_URL: `file:${context.folder.path}/db.sqlite` },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.is(result.status, 2, 'exit code for a configuration error');
  assert.match(result.stderr, 'PORT', 'message names the variable');
  assert.match(result.stderr, '"eighty"', 'message quotes the value');
  assert.match(result.stderr, 'an integer from 0 to 65535', 'message gives the accepted form');
});

startup('unknown serve option exits 2 without starting', (context) => {
  const { command, args } = entryCommand(['--port', '4000']);
  const result = spawnSync(command, args, {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      DENO_NO_UPDATE_CHECK: '1',
      PORT: '0',
      JETSTREAM_URL: CLOSED_UPSTREAM,
      DATABASE_URL: `file:${context.folder.path}/db.sqlite`,
    },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.is(result.status, 2, 'exit code for an unknown option');
  assert.match(result.stderr, '"--port"', 'message quotes the option');
  assert.match(result.stderr, 'environment variables', 'message points to the environment');
  assert.not.match(result.stdout, 'listening', 'the service did not start');
});

startup('second ingesting process exits 1', async (context) => {
  const env = { JETSTREAM_URL: CLOSED_UPSTREAM, DATABASE_URL: `file:${context.folder.path}/db.sqlite` };
  context.service = await startServiceProcess({ env });
  const { command, args } = entryCommand();
  const second = spawnSync(command, args, {
    cwd: repositoryRoot,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.is(second.status, 1, `exit code of the second ingesting process; stderr: ${second.stderr}`);
  assert.match(second.stderr, `process ${context.service.child.pid} on `, 'message names the process that ingests');
  assert.match(second.stderr, 'start this one with INGEST=false', 'message says how to serve from the same database');

  const serving = await startServiceProcess({ env: { ...env, INGEST: 'false' } });
  const result = await serving.stop('SIGTERM');
  assert.is(result.code, 0, 'a serving process (INGEST=false) runs beside the ingesting one');
});

startup('--help lists variables with defaults and units', () => {
  const { command, args } = entryCommand(['--help']);
  const result = spawnSync(command, args, { cwd: repositoryRoot, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' }, encoding: 'utf8', timeout: 20_000 });
  assert.is(result.status, 0, 'exit code of --help');
  for (const name of ['PORT', 'HOST', 'DATABASE_URL', 'JETSTREAM_URL', 'LOG_LEVEL']) {
    assert.match(result.stdout, name, `--help mentions ${name}`);
  }
  assert.match(result.stdout, 'Default: 3000', 'PORT default shown');
  assert.match(result.stdout, '[ms]', 'units shown');
});

startup.run();
