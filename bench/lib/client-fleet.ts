/**
 * The harness side of the load generator: forks `bench/workers/clients.ts` processes, spreads
 * clients over them, forwards send times and merges their reports.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ClientKind, HarnessToWorker, WorkerReport, WorkerToHarness } from '../workers/client-protocol.ts';
import { repositoryRoot } from './paths.ts';
import { canPin } from './proc.ts';
import { LatencyHistogram } from './stats.ts';

const WORKER_SCRIPT = join(repositoryRoot, 'bench/workers/clients.ts');

/** Reports of all workers merged. */
export interface FleetReport {
  connected: number;
  connectFailures: number;
  disconnects: number;
  batchLatency: LatencyHistogram;
  postLatency: LatencyHistogram;
  unmatchedPosts: number;
  digests: WorkerReport['digests'];
  lastArrivalMs: number;
  errors: string[];
}

class Worker {
  readonly child: ChildProcess;
  readonly #waiting = new Map<string, (message: WorkerToHarness) => void>();
  #fatal: string | null = null;

  constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (message: WorkerToHarness) => {
      if (message.type !== 'fatal') return this.#waiting.get(message.type)?.(message);
      this.#fatal = message.message;
      for (const settle of [...this.#waiting.values()]) settle(message);
    });
    child.once('exit', (code, signal) => {
      const message = `exited (code ${code}, signal ${signal})`;
      this.#fatal ??= message;
      for (const settle of [...this.#waiting.values()]) settle({ type: 'fatal', message });
    });
  }

  request<T extends WorkerToHarness['type']>(message: HarnessToWorker | null, reply: T, timeoutMs: number): Promise<Extract<WorkerToHarness, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(reply);
        reject(new Error(`load generator ${this.child.pid} sent no "${reply}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(reply, (answer) => {
        clearTimeout(timer);
        this.#waiting.delete(reply);
        if (answer.type === 'fatal') reject(new Error(`load generator ${this.child.pid} failed: ${answer.message}`));
        else resolve(answer as Extract<WorkerToHarness, { type: T }>);
      });
      if (this.#fatal) reject(new Error(`load generator ${this.child.pid} failed: ${this.#fatal}`));
      if (message) this.child.send(message);
    });
  }
}

export class ClientFleet {
  readonly #workers: Worker[];

  private constructor(workers: Worker[]) {
    this.#workers = workers;
  }

  /** Forks `processes` load generators, pinned to `cpus` (taskset list) when given. */
  static async start(processes: number, cpus?: string): Promise<ClientFleet> {
    const workers: Worker[] = [];
    for (let index = 0; index < processes; index++) {
      const child = fork(WORKER_SCRIPT, [], {
        cwd: repositoryRoot,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const worker = new Worker(child);
      workers.push(worker);
      if (cpus !== undefined && canPin()) execFileSync('taskset', ['-a', '-p', '-c', cpus, String(child.pid)], { stdio: 'ignore' });
    }
    const fleet = new ClientFleet(workers);
    try {
      await Promise.all(workers.map((worker) => worker.request(null, 'ready', 30_000)));
    } catch (error) {
      await fleet.close();
      throw error;
    }
    return fleet;
  }

  get pids(): number[] {
    return this.#workers.map((worker) => worker.child.pid!);
  }

  /**
   * Opens `total` clients spread evenly over the workers, at `perSecond` handshakes per second
   * over all of them; resolves when every attempt has connected or failed.
   */
  async connect(baseUrl: string, total: number, perSecond: number, kind: ClientKind, token?: string): Promise<{ connected: number; failures: number }> {
    const share = (index: number) => Math.floor(total / this.#workers.length) + (index < total % this.#workers.length ? 1 : 0);
    const timeoutMs = 60_000 + (total / perSecond) * 2000;
    const answers = await Promise.all(
      this.#workers.map((worker, index) =>
        worker.request(
          { type: 'connect', baseUrl, count: share(index), perSecond: perSecond / this.#workers.length, kind, token },
          'connected',
          timeoutMs,
        ),
      ),
    );
    return {
      connected: answers.reduce((sum, answer) => sum + answer.connected, 0),
      failures: answers.reduce((sum, answer) => sum + answer.failures, 0),
    };
  }

  /** Tells every worker when posts left the replay server, so they can compute end-to-end latency. */
  sendTimes(entries: Array<[string, number]>): void {
    if (entries.length === 0) return;
    for (const worker of this.#workers) worker.child.send({ type: 'send-times', entries } satisfies HarnessToWorker);
  }

  async report(): Promise<FleetReport> {
    const answers = await Promise.all(this.#workers.map((worker) => worker.request({ type: 'report' }, 'report', 60_000)));
    const merged: FleetReport = {
      connected: 0,
      connectFailures: 0,
      disconnects: 0,
      batchLatency: new LatencyHistogram(),
      postLatency: new LatencyHistogram(),
      unmatchedPosts: 0,
      digests: [],
      lastArrivalMs: 0,
      errors: [],
    };
    for (const { report } of answers) {
      merged.connected += report.connected;
      merged.connectFailures += report.connectFailures;
      merged.disconnects += report.disconnects;
      merged.batchLatency.merge(report.batchLatency);
      merged.postLatency.merge(report.postLatency);
      merged.unmatchedPosts += report.unmatchedPosts;
      merged.lastArrivalMs = Math.max(merged.lastArrivalMs, report.lastArrivalMs);
      merged.errors.push(...report.errors.slice(0, 5));
      for (const digest of report.digests) {
        const same = merged.digests.find(
          (entry) => entry.batches === digest.batches && entry.posts === digest.posts && entry.matched === digest.matched && entry.digest === digest.digest,
        );
        if (same) same.clients += digest.clients;
        else merged.digests.push({ ...digest });
      }
    }
    merged.digests.sort((a, b) => b.clients - a.clients);
    return merged;
  }

  /** Closes every client and ends the worker processes (SIGKILL after 5 s). */
  async close(): Promise<void> {
    await Promise.all(
      this.#workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const child = worker.child;
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (child.connected) child.send({ type: 'close' } satisfies HarnessToWorker);
            else child.kill('SIGTERM');
          }),
      ),
    );
  }
}
