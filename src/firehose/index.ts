// PLACEHOLDER: the consumer work replaces this file.
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { Hub } from '../hub/hub.ts';
import type { HubEvents } from '../hub/events.ts';
import type { Store } from '../store/index.ts';

export interface FirehoseOptions {
  config: Config;
  hub: Hub<HubEvents>;
  store: Pick<Store, 'readCursor'>;
  logger: Logger;
  now: () => number;
}

/** Whether the upstream is healthy enough for `/readyz`. */
export interface FirehoseReadiness {
  ready: boolean;
  reason: string | null;
}

export interface Firehose {
  start(): void;
  /** Stops reading, writes the pending batch and closes the upstream socket with code 1000. */
  stop(): Promise<void>;
  readiness(): FirehoseReadiness;
}

export function createFirehose(_options: FirehoseOptions): Firehose {
  return {
    start() {},
    async stop() {},
    readiness: () => ({ ready: true, reason: null }),
  };
}
