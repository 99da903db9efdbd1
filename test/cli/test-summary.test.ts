import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { countPrerequisiteSkips } from '../support/prerequisite-skips.ts';

const summary = suite('test summary');

summary('counts skips after suite names and marks', () => {
  const output = [
    'firehose/jetstream-event.test.ts',
    ' real sample events  skipped: jetstream-sample.ndjson not found in /tmp/shared/data',
    '•   (1 / 1)',
    '• skipped: jetstream-bench.ndjson not found in /tmp/shared/data',
    ' sentiment language gating  • • • • skipped: vader-reference.tsv not found',
    'skipped: redis-server not found',
  ].join('\n');
  assert.is(countPrerequisiteSkips(output), 4, 'one skip per line that reports one');
});

summary('ignores colours and words that only contain skipped', () => {
  const output = [
    '\x1b[2m•\x1b[22m skipped: /usr/bin/chromium not found',
    ' replay server  • • •   (3 / 3)',
    '  Skipped:   0',
    'the consumer skipped: nothing',
    'lines skipped:3',
  ].join('\n');
  assert.is(countPrerequisiteSkips(output), 2, 'only "skipped: " after a space or at the start counts');
});

summary.run();
