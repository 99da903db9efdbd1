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

store('drops a tenth when full', async () => {
  const windows = createWindowStore(60_000, 20, () => 0);
  const keys = Array.from({ length: 22 }, (_, index) => `client-${index}`);
  for (const key of keys.slice(0, 21)) await windows.increment(key);
  assert.is(await windows.get!('client-0'), undefined, 'oldest dropped');
  assert.is(await windows.get!('client-1'), undefined, 'second oldest dropped with it');
  assert.ok(await windows.get!('client-2'), 'third oldest kept');
  await windows.increment(keys[21]!);
  assert.ok(await windows.get!('client-2'), 'room was left: the next client drops nobody');
  assert.ok(await windows.get!('client-21'), 'newest tracked');
});

store.run();
