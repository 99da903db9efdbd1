/**
 * The `track`, `untrack` and `filter` requests of one client. Every payload is validated. A bad
 * payload or a flood of requests gets an error acknowledgement (or nothing, when the client
 * sent no acknowledgement function), and no request can throw into Socket.IO.
 */
import type { Socket } from 'socket.io';
import { rateLimited, type Logger } from '../log/logger.ts';
import type { Ack, FeedFilter } from './protocol.ts';
import { FEED_ALL_ROOM, feedRoom, trackRoom, validateFeedFilter, validateTrackRequest } from './terms.ts';

/** Requests one client may make per second on average, and in a burst. */
const REQUESTS_PER_SECOND = 10;
const REQUEST_BURST = 30;

/** Per-client state, kept in `socket.data` so that connection state recovery restores it. */
export interface ClientState {
  terms: string[];
  filter: Required<FeedFilter>;
  feedRoom: string;
}

export function initialClientState(): ClientState {
  return { terms: [], filter: { labels: [], languages: [] }, feedRoom: FEED_ALL_ROOM };
}

/** Returns the client's state, or stores a fresh one when `socket.data` has no valid state. */
export function clientState(socket: Socket): ClientState {
  const data = socket.data as Partial<ClientState> | undefined;
  if (data && Array.isArray(data.terms) && typeof data.feedRoom === 'string' && data.filter) return data as ClientState;
  const state = initialClientState();
  socket.data = state;
  return state;
}

export interface ClientRequestOptions {
  maxTerms: number;
  now: () => number;
  logger: Logger;
}

type Handler = (socket: Socket, state: ClientState, payload: unknown) => Ack<object>;

interface RequestBucket {
  tokens: number;
  refilledAt: number;
}

const warnFailure = rateLimited(5, 60_000);

/**
 * Returns the function that subscribes a socket to the requests. The listeners are shared by
 * every socket (Socket.IO calls them with the socket as `this`), so an idle dashboard costs no
 * closures of its own, which matters at 10,000 clients.
 */
export function createClientRequests({ maxTerms, now, logger }: ClientRequestOptions): (socket: Socket) => void {
  // A client's bucket exists from its first request on, and goes with its socket.
  const buckets = new WeakMap<Socket, RequestBucket>();

  const allow = (socket: Socket): boolean => {
    const time = now();
    let bucket = buckets.get(socket);
    if (!bucket) {
      bucket = { tokens: REQUEST_BURST, refilledAt: time };
      buckets.set(socket, bucket);
    }
    bucket.tokens = Math.min(REQUEST_BURST, bucket.tokens + ((time - bucket.refilledAt) / 1000) * REQUESTS_PER_SECOND);
    bucket.refilledAt = time;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  const listener = (event: string, handler: Handler) =>
    function (this: Socket, ...args: unknown[]): void {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (result: Ack<object>) => void) : null;
      let result: Ack<object>;
      try {
        result = allow(this) ? handler(this, clientState(this), args[0]) : { ok: false, error: `too many requests; at most ${REQUESTS_PER_SECOND} per second` };
      } catch (error) {
        warnFailure((suppressed) => logger.error({ err: error, socketId: this.id, event, suppressed }, 'client request failed'));
        result = { ok: false, error: 'internal error; try again' };
      }
      ack?.(result);
    };

  const track: Handler = (socket, state, payload) => {
    const validated = validateTrackRequest(payload);
    if (!validated.ok) return validated;
    const { term } = validated.value;
    if (state.terms.includes(term)) return { ok: true, term };
    if (state.terms.length >= maxTerms) {
      return { ok: false, error: `at most ${maxTerms} terms may be tracked at once; untrack one first` };
    }
    state.terms.push(term);
    void socket.join(trackRoom(term));
    return { ok: true, term };
  };

  const untrack: Handler = (socket, state, payload) => {
    const validated = validateTrackRequest(payload);
    if (!validated.ok) return validated;
    const { term } = validated.value;
    const index = state.terms.indexOf(term);
    if (index < 0) return { ok: false, error: `${term} is not tracked` };
    state.terms.splice(index, 1);
    void socket.leave(trackRoom(term));
    return { ok: true, term };
  };

  const filter: Handler = (socket, state, payload) => {
    const validated = validateFeedFilter(payload);
    if (!validated.ok) return validated;
    const room = feedRoom(validated.value);
    if (room !== state.feedRoom) {
      void socket.leave(state.feedRoom);
      void socket.join(room);
      state.feedRoom = room;
    }
    state.filter = validated.value;
    return { ok: true, filter: validated.value };
  };

  const listeners = [
    ['track', listener('track', track)],
    ['untrack', listener('untrack', untrack)],
    ['filter', listener('filter', filter)],
  ] as const;
  return (socket) => {
    for (const [event, shared] of listeners) (socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void }).on(event, shared);
  };
}
