import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createWindowStore } from '../../src/http/rate-limit.ts';

const store = suite('createWindowStore');

store('counts hits per client within the window', async () => {
  let time = 1_000;
  const windows = createWindowStore(60_000, 10, () => time);
  assert.is((await windows.increment('a')).totalHits, 1, 'first hit of a');
  assert.is((await windows.increment('a')).totalHits, 2, 'second hit of a');
  assert.is((await windows.increment('b')).totalHits, 1, 'b counted apart');
  const { resetTime } = await windows.increment('a');
  assert.is(resetTime!.getTime(), 61_000, 'window ends windowMs after its first hit');
  time = 61_000;
  assert.is((await windows.increment('a')).totalHits, 1, 'a new window starts from zero');
});

store('decrement and reset', async () => {
  const windows = createWindowStore(60_000, 10, () => 0);
  await windows.increment('a');
  await windows.increment('a');
  await windows.decrement('a');
  assert.is((await windows.get!('a'))!.totalHits, 1, 'decremented');
  await windows.resetKey('a');
  assert.is(await windows.get!('a'), undefined, 'reset forgets the client');
});

store('tracks at most maxClients, dropping the oldest', async () => {
  const windows = createWindowStore(60_000, 3, () => 0);
  for (const key of ['a', 'b', 'c', 'd', 'e']) await windows.increment(key);
  assert.is(await windows.get!('a'), undefined, 'oldest dropped');
  assert.is(await windows.get!('b'), undefined, 'second oldest dropped');
  for (const key of ['c', 'd', 'e']) assert.ok(await windows.get!(key), `${key} still tracked`);
});

store.run();
