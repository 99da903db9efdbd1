import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventEmitter } from 'node:events';
import { createBackoff } from '../../src/firehose/backoff.ts';
import { createUpstreamConnection, withoutCredentials, type Timers, type UpstreamConnection } from '../../src/firehose/upstream-connection.ts';
import { silentLogger } from '../../src/log/logger.ts';
import type { UpstreamSocket } from '../../src/runtime/websocket.ts';

/** A socket driven by the test: it emits what the test tells it to, like `ws` would. */
class ScriptedSocket extends EventEmitter {
  readyState = 0;
  pings = 0;
  terminated = false;
  closedWith: number | null = null;
  ping() {
    this.pings += 1;
  }
  pause() {}
  resume() {}
  close(code?: number) {
    this.closedWith = code ?? null;
    this.finish(code ?? 1005);
  }
  terminate() {
    this.terminated = true;
    this.finish(1006);
  }
  open() {
    this.readyState = 1;
    this.emit('open');
  }
  finish(code: number) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.emit('close', code, Buffer.alloc(0));
  }
}

/** Timers on a clock that only moves when the test advances it. */
function manualClock(): { timers: Timers; now: () => number; advance(ms: number): void; block(ms: number): void } {
  let time = 0;
  let pending: Array<{ at: number; callback: () => void; id: number }> = [];
  let nextId = 1;
  return {
    now: () => time,
    timers: {
      setTimeout(callback, ms) {
        const id = nextId++;
        pending.push({ at: time + ms, callback, id });
        return id;
      },
      clearTimeout(handle) {
        pending = pending.filter((timer) => timer.id !== handle);
      },
    },
    advance(ms) {
      const end = time + ms;
      for (;;) {
        const due = pending.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        pending = pending.filter((timer) => timer !== due);
        time = Math.max(time, due.at);
        due.callback();
      }
      time = end;
    },
    /** Moves time without running timers, as a long synchronous task does. */
    block(ms) {
      time += ms;
    },
  };
}

function setup(endpoints = ['ws://a.example/subscribe']) {
  const clock = manualClock();
  const sockets: ScriptedSocket[] = [];
  const urls: string[] = [];
  const connection: UpstreamConnection = createUpstreamConnection({
    endpoints,
    buildUrl: (endpoint) => endpoint,
    socketFactory(url) {
      const socket = new ScriptedSocket();
      sockets.push(socket);
      urls.push(url);
      return socket as unknown as UpstreamSocket;
    },
    socketOptions: () => ({ perMessageDeflate: false, maxPayload: 1024, handshakeTimeoutMs: 1000 }),
    backoff: createBackoff({ minMs: 100, maxMs: 1000, random: () => 0 }),
    healthyMs: 5000,
    stallTimeoutMs: 2000,
    pingIntervalMs: 500,
    onFrame: () => undefined,
    onStateChange: () => undefined,
    now: clock.now,
    timers: clock.timers,
    logger: silentLogger(),
  });
  return { clock, sockets, urls, connection };
}

const upstream = suite('upstream connection');

upstream('error followed by close schedules one reconnect', () => {
  const { clock, sockets, connection } = setup();
  connection.start();
  sockets[0]!.emit('error', new Error('connect ECONNREFUSED'));
  clock.advance(10_000);
  assert.ok(sockets.length >= 2, 'reconnected');
  const openAtOnce = sockets.filter((socket) => socket.readyState !== 3).length;
  assert.is(openAtOnce, 1, 'only the newest socket is not closed');
  assert.is(connection.state().lastError, 'connect ECONNREFUSED', 'last error kept');
});

upstream('pings while open and terminates a silent socket', () => {
  const { clock, sockets, connection } = setup();
  connection.start();
  sockets[0]!.open();
  clock.advance(1600);
  assert.ok(sockets[0]!.pings >= 3, `pinged ${sockets[0]!.pings} times`);
  assert.is(sockets[0]!.terminated, false, 'not terminated before the stall timeout');
  clock.advance(600);
  assert.is(sockets[0]!.terminated, true, 'terminated after the stall timeout');
});

upstream('paused reading does not count as a stall', () => {
  const { clock, sockets, connection } = setup();
  connection.start();
  sockets[0]!.open();
  connection.pause();
  clock.advance(5000);
  assert.is(sockets[0]!.terminated, false, 'not terminated while paused');
  connection.resume();
  clock.advance(1500);
  assert.is(sockets[0]!.terminated, false, 'silence counts again from the resume');
  clock.advance(1000);
  assert.is(sockets[0]!.terminated, true, 'terminated once silent after the resume');
});

upstream('time this process spent blocked does not count as a stall', () => {
  const { clock, sockets, connection } = setup();
  connection.start();
  sockets[0]!.open();
  clock.advance(1000);
  clock.block(3000);
  clock.advance(0);
  assert.is(sockets[0]!.terminated, false, 'not terminated right after a 3 s block');
  clock.advance(2100);
  assert.is(sockets[0]!.terminated, true, 'terminated when the silence continues after the block');
});

upstream('a failing endpoint hands over to the next', () => {
  const { clock, sockets, urls, connection } = setup(['ws://a.example/subscribe', 'ws://b.example/subscribe']);
  connection.start();
  sockets[0]!.terminate();
  clock.advance(200);
  assert.equal(urls, ['ws://a.example/subscribe', 'ws://b.example/subscribe'], 'second endpoint tried after the first failed');
  sockets[1]!.open();
  sockets[1]!.emit('message', Buffer.from('{}'), false);
  sockets[1]!.terminate();
  clock.advance(200);
  assert.is(urls[2], 'ws://b.example/subscribe', 'an endpoint that delivered events is tried again first');
});

upstream('stop closes with 1000 and stops reconnecting', async () => {
  const { clock, sockets, connection } = setup();
  connection.start();
  sockets[0]!.open();
  await connection.stop();
  clock.advance(10_000);
  assert.is(sockets[0]!.closedWith, 1000, 'closed with 1000');
  assert.is(sockets.length, 1, 'no reconnect after stop');
});

upstream('credentials are kept out of logged URLs', () => {
  assert.is(withoutCredentials('wss://user:secret@jet.example/subscribe?x=1'), 'wss://jet.example/subscribe?x=1', 'user and password removed');
  assert.is(withoutCredentials('wss://jet.example/subscribe'), 'wss://jet.example/subscribe', 'plain URL unchanged');
});

upstream.run();
