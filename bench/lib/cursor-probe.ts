/**
 * Reads the stored cursor straight from the service's database file. `/api/stats` refreshes the
 * consumer's status once a second, which is too coarse to time a catch-up of a few seconds. A
 * read-only query every 10 ms on the WAL database does not block the service's writes.
 */
import { createClient, type Client } from '@libsql/client';
import { join } from 'node:path';

export class CursorProbe {
  readonly #client: Client;

  constructor(databaseFolder: string) {
    this.#client = createClient({ url: `file:${join(databaseFolder, 'skypulse.db')}` });
  }

  /** Returns the stored `time_us` cursor, or null before the first commit. */
  async read(): Promise<number | null> {
    try {
      // NOTE: this couples the harness to the store's `cursor` table (one row, id 1).
      const result = await this.#client.execute('SELECT time_us FROM cursor WHERE id = 1');
      return result.rows.length > 0 ? Number(result.rows[0]!.time_us) : null;
    } catch {
      return null;
    }
  }

  /** Polls every `intervalMs` until the cursor reaches `timeUs`; returns the wall-clock time seen, or null on timeout. */
  async waitFor(timeUs: number, timeoutMs: number, onPoll?: (cursor: number | null) => void, intervalMs = 10): Promise<number | null> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const cursor = await this.read();
      onPoll?.(cursor);
      if (cursor !== null && cursor >= timeUs) return performance.timeOrigin + performance.now();
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    return null;
  }

  close(): void {
    this.#client.close();
  }
}
