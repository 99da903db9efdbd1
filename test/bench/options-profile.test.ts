import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseOptions } from '../../bench/lib/options.ts';
import { readBundleModules, selfTimeByArea, topSelfTime, type CpuProfile } from '../../bench/lib/profiler.ts';

const options = suite('bench options');

options('defaults', () => {
  const parsed = parseOptions([]);
  assert.equal(parsed.runtimes, ['node', 'deno'], 'both runtimes by default');
  assert.is(parsed.runs, 3, 'three measured runs in full mode');
  assert.is(parsed.quick, false, 'full mode by default');
  assert.is(parsed.writeDocument, true, 'full runs write the document');
  assert.is(parsed.soakMinutes, 10, 'the soak lasts 10 minutes, as the target says');
});

options('quick mode and values', () => {
  const parsed = parseOptions(['--quick', '--runtime', 'deno', '--only', 'ingest, fanout', '--service-env', 'BROADCAST_TICK_MS=10,BATCH_MAX_WAIT_MS=5']);
  assert.is(parsed.runs, 1, 'one run in quick mode');
  assert.equal(parsed.runtimes, ['deno'], 'runtime narrowed');
  assert.equal(parsed.only, ['ingest', 'fanout'], 'scenario ids trimmed');
  assert.equal(parsed.serviceEnv, { BROADCAST_TICK_MS: '10', BATCH_MAX_WAIT_MS: '5' }, 'service settings parsed');
  assert.is(parseOptions(['--soak-minutes', '30']).soakMinutes, 30, 'soak length parsed');
});

options('rejects invalid input', () => {
  assert.throws(() => parseOptions(['--runtime', 'bun']), /--runtime "bun" is invalid/, 'unknown runtime');
  assert.throws(() => parseOptions(['--runs', '0']), /--runs "0" is invalid/, 'zero runs');
  assert.throws(() => parseOptions(['--runs']), /--runs needs a value/, 'missing value');
  assert.throws(() => parseOptions(['--service-env', 'JETSTREAM_URL=ws://x']), /cannot set JETSTREAM_URL/, 'upstream stays the replay server');
  assert.throws(() => parseOptions(['--service-env', 'tick']), /expected NAME=VALUE/, 'malformed setting');
  assert.throws(() => parseOptions(['--soak-minutes', '2']), /--soak-minutes "2" is invalid/, 'soak shorter than its warm-up');
  assert.throws(() => parseOptions(['--fast']), /Unknown option "--fast"/, 'unknown option');
});

options.run();

// ---

const profiles = suite('bench profile summary');

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('libsql_js::statement::Rows::js_next') },
    { id: 4, callFrame: frame('polarityScores', 'file:///repo/dist/server.js', 11) },
    { id: 5, callFrame: frame('writeBatch', 'file:///repo/dist/server.js', 3) },
    { id: 6, callFrame: frame('emit', 'file:///repo/node_modules/socket.io/dist/index.js', 40) },
    { id: 7, callFrame: frame('(garbage collector)') },
  ],
  // 5 idle samples, then 20 busy ones: 8 libsql, 6 scoring, 4 store, 1 socket.io, 1 garbage collection.
  samples: [2, 2, 2, 2, 2, ...Array(8).fill(3), ...Array(6).fill(4), ...Array(4).fill(5), 6, 7],
};

profiles('groups self time by area', () => {
  const bundle = ['// src/store/write-batch.ts', 'function writeBatch() {}', '', '', '', '', '', '', '', '// src/sentiment/analyzer.ts', 'function polarityScores() {}'].join('\n');
  const modules = readBundleModules(bundle);
  assert.equal(modules, [{ line: 1, path: 'src/store/write-batch.ts' }, { line: 10, path: 'src/sentiment/analyzer.ts' }], 'module start lines from the bundle markers');
  const areas = Object.fromEntries(selfTimeByArea(PROFILE, modules).map((entry) => [entry.area, entry.selfPercent]));
  assert.is(areas['SQLite (libsql native code)'], 40, 'native libsql frames, idle samples left out of the total');
  assert.is(areas['src/sentiment'], 30, 'bundle line mapped to the sentiment module');
  assert.is(areas['src/store'], 20, 'bundle line mapped to the store module');
  assert.is(areas['socket.io'], 5, 'package name from node_modules');
  assert.is(areas['garbage collector'], 5, 'garbage collection counts as busy');
  assert.is(areas['(idle)'], undefined, 'idle is not an area');
});

profiles('lists top functions', () => {
  const top = topSelfTime(PROFILE, 2);
  assert.is(top.length, 2, 'limited to the requested count');
  assert.is(top[0]!.functionName, 'libsql_js::statement::Rows::js_next', 'largest self time first');
  assert.is(top[1]!.functionName, 'polarityScores', 'second largest next');
  assert.is(top[1]!.location, 'dist/server.js:12', 'location shortened, line one-based');
});

profiles.run();
