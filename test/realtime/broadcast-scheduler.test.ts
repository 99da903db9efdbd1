import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BroadcastScheduler, LOAD_SPACING } from '../../src/realtime/broadcast-scheduler.ts';

/** Creates a manual clock whose timers fire only when the test advances it. */
function manualClock() {
  let time = 1000;
  const timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  return {
    now: () => time,
    setTimer(callback: () => void, ms: number) {
      const timer = { at: time + ms, callback, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
    /** Moves the clock to `target`, firing due timers in order. */
    advanceTo(target: number) {
      for (;;) {
        const due = timers.filter((timer) => !timer.cancelled && timer.at <= target).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        due.cancelled = true;
        time = Math.max(time, due.at);
        due.callback();
      }
      time = Math.max(time, target);
    },
    pending: () => timers.filter((timer) => !timer.cancelled).length,
    tick(ms: number) {
      time += ms;
    },
  };
}

interface Setup {
  clock: ReturnType<typeof manualClock>;
  scheduler: BroadcastScheduler;
  sends: number[];
  errors: unknown[];
}

function setup(minIntervalMs: number, send: (clock: ReturnType<typeof manualClock>) => number | null = () => null): Setup {
  const clock = manualClock();
  const sends: number[] = [];
  const errors: unknown[] = [];
  const scheduler = new BroadcastScheduler({
    minIntervalMs,
    now: clock.now,
    setTimer: clock.setTimer,
    onError: (error) => errors.push(error),
    send: () => {
      sends.push(clock.now());
      return send(clock);
    },
  });
  return { clock, scheduler, sends, errors };
}

const scheduling = suite('realtime broadcast scheduler');

scheduling('sends at once after a quiet spell', () => {
  const { clock, scheduler, sends } = setup(20);
  scheduler.request();
  clock.advanceTo(1000);
  assert.equal(sends, [1000], 'the first request is sent without waiting for an interval');
  clock.advanceTo(5000);
  scheduler.request();
  clock.advanceTo(5000);
  assert.equal(sends, [1000, 5000], 'a request after a long pause is sent at once too');
});

scheduling('spaces sends while requests keep coming', () => {
  const { clock, scheduler, sends } = setup(20);
  for (let time = 1000; time < 1060; time += 5) {
    clock.advanceTo(time);
    scheduler.request();
  }
  clock.advanceTo(1100);
  assert.equal(sends, [1000, 1020, 1040, 1060], 'one send per minimum interval, however many requests');
  assert.is(clock.pending(), 0, 'no timer left once everything is sent');
});

scheduling('a slow send widens the spacing', () => {
  const { clock, scheduler, sends } = setup(20, (clock) => {
    clock.tick(100);
    return null;
  });
  scheduler.request();
  clock.advanceTo(1000);
  assert.is(scheduler.spacingMs, 100 * LOAD_SPACING, 'spacing is the send time times LOAD_SPACING');
  scheduler.request();
  clock.advanceTo(2000);
  assert.equal(sends, [1000, 1000 + 100 * LOAD_SPACING], 'the next send waits for the wider spacing');
});

scheduling('posts held back by a rate cap are sent when the cap allows', () => {
  let waiting = true;
  const { clock, scheduler, sends } = setup(20, (clock) => {
    if (!waiting) return null;
    waiting = false;
    return clock.now() + 70;
  });
  scheduler.request();
  clock.advanceTo(2000);
  assert.equal(sends, [1000, 1070], 'a second send at the time the first one named');
});

scheduling('an earlier request replaces a later timer, and close cancels it', () => {
  const { clock, scheduler, sends } = setup(20, () => null);
  scheduler.request(1500);
  scheduler.request(1005);
  clock.advanceTo(1010);
  assert.equal(sends, [1005], 'the earlier time wins');
  scheduler.request();
  scheduler.close();
  clock.advanceTo(3000);
  assert.equal(sends, [1005], 'nothing is sent after close');
  scheduler.request();
  assert.is(clock.pending(), 0, 'requests after close set no timer');
});

scheduling('a failing send is reported and later requests still run', () => {
  let fail = true;
  const { clock, scheduler, sends, errors } = setup(20, () => {
    if (fail) {
      fail = false;
      throw new Error('emit failed');
    }
    return null;
  });
  scheduler.request();
  clock.advanceTo(1000);
  assert.is(errors.length, 1, 'the error reached onError');
  scheduler.request();
  clock.advanceTo(1100);
  assert.equal(sends, [1000, 1020], 'the scheduler kept working after the failure');
});

scheduling.run();
