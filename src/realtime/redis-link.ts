/**
 * The Redis connection behind the Socket.IO adapter when REDIS_URL is set. The Redis Streams
 * adapter stores every broadcast in a stream, which lets a client that reconnects to any
 * process receive what it missed (connection state recovery), and sends server-to-server
 * messages through Redis pub/sub.
 */
import { createClient } from 'redis';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { rateLimited, type Logger } from '../log/logger.ts';

/** Broadcasts kept in the Redis stream; a recovering client needs its last one still there. */
export const STREAM_MAX_LENGTH = 20_000;
/** Maximum wait of one blocking stream read, which is also how long the reader may take to stop on close. */
const READ_BLOCK_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;
const CLOSE_TIMEOUT_MS = 2000;
/** Failed attempts before start-up gives up on an unreachable Redis. */
const STARTUP_ATTEMPTS = 3;

export interface RedisLink {
  readonly adapter: ReturnType<typeof createAdapter>;
  close(): Promise<void>;
}

/** REDIS_URL with any password replaced, for logs and error messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid URL>';
  }
}

export async function connectRedis(url: string, logger: Logger): Promise<RedisLink> {
  let connectedOnce = false;
  const client = createClient({
    url,
    // Without this, commands issued during an outage would queue in memory without limit;
    // broadcasts made while Redis is unreachable are lost instead.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries, cause) => {
        if (!connectedOnce && retries >= STARTUP_ATTEMPTS) return cause;
        return Math.min(100 * 2 ** Math.min(retries, 5), 3000);
      },
    },
  });
  const warn = rateLimited(5, 60_000);
  client.on('error', (error: unknown) => {
    if (connectedOnce) warn((suppressed) => logger.warn({ err: error, redis: redactRedisUrl(url), suppressed }, 'redis connection error; retrying'));
  });
  client.on('ready', () => {
    if (connectedOnce) logger.info({ redis: redactRedisUrl(url) }, 'redis connection restored');
  });

  try {
    await client.connect();
  } catch (error) {
    client.destroy();
    throw new Error(`Cannot connect to REDIS_URL=${redactRedisUrl(url)}: ${(error as Error).message}. Check that redis-server runs and the URL is right.`, { cause: error });
  }
  connectedOnce = true;
  logger.info({ redis: redactRedisUrl(url) }, 'redis adapter connected');

  const adapter = createAdapter(withHandledRejections(client), {
    streamName: 'skypulse',
    channelPrefix: 'skypulse',
    sessionKeyPrefix: 'skypulse:session:',
    maxLen: STREAM_MAX_LENGTH,
    blockTimeInMs: READ_BLOCK_MS,
    // Every payload is JSON, so the adapter can skip its search for binary data.
    onlyPlaintext: true,
  });

  return {
    adapter,
    async close() {
      // The adapter closes its own duplicate connections when Socket.IO closes it. Pending
      // commands (such as sessions saved for recovery) get a moment to finish.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)));
      const outcome = await Promise.race([client.close().then(() => 'closed' as const, () => 'failed' as const), timeout]);
      clearTimeout(timer);
      if (outcome !== 'closed') client.destroy();
    },
  };
}

/**
 * Wraps the client so that a command promise that no caller awaits cannot become an unhandled
 * rejection, which would end the process. The adapter (0.3.1) leaves some promises unawaited,
 * such as PUBLISH for server-to-server messages and SET for recovery sessions. Those fail
 * during a Redis outage, and losing them is acceptable. Awaited promises still reject for
 * their caller. Clients made by `duplicate()` are wrapped the same way.
 */
function withHandledRejections<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = Reflect.apply(value, target, args);
        if (property === 'duplicate' && typeof result === 'object' && result !== null) return withHandledRejections(result);
        if (result instanceof Promise) result.catch(() => undefined);
        return result;
      };
    },
  });
}
