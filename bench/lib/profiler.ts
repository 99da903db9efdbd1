/**
 * CPU profiles of the service under test through the V8 inspector protocol, which Node and Deno
 * both serve with `--inspect=127.0.0.1:0`. Profiling starts and stops around the measured window
 * only, so start-up and shutdown stay out of the profile.
 */
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';

/** Runtime flag that opens the inspector on a free loopback port. */
export const INSPECT_FLAG = '--inspect=127.0.0.1:0';

/** Finds the inspector URL that Node and Deno print on stderr at start-up; null when absent. */
export function findInspectorUrl(output: string): string | null {
  return /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(output)?.[1] ?? null;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export class InspectorProfiler {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id === undefined) return;
      const waiter = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(`inspector: ${message.error.message}`));
      else waiter?.resolve(message.result);
    });
  }

  static connect(url: string): Promise<InspectorProfiler> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false });
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`inspector at ${url} did not accept a connection within 10 s`));
      }, 10_000);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve(new InspectorProfiler(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  #call(method: string, params: object = {}): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`inspector call ${method} got no reply within 60 s`));
      }, 60_000);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Starts sampling every `intervalUs` microseconds. */
  async start(intervalUs = 500): Promise<void> {
    await this.#call('Profiler.enable');
    await this.#call('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.#call('Profiler.start');
  }

  /** Runs a full garbage collection twice and returns the bytes of the JavaScript heap still in use. */
  async liveHeapBytes(): Promise<number> {
    await this.#call('HeapProfiler.collectGarbage');
    await this.#call('HeapProfiler.collectGarbage');
    const { usedSize } = (await this.#call('Runtime.getHeapUsage')) as { usedSize: number };
    return usedSize;
  }

  /** Bytes of the JavaScript heap in use and committed, read without forcing a collection. */
  async heapUsage(): Promise<{ usedBytes: number; totalBytes: number }> {
    const { usedSize, totalSize } = (await this.#call('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    return { usedBytes: usedSize, totalBytes: totalSize };
  }

  /** Disconnects without stopping anything. */
  close(): void {
    this.#socket.close();
  }

  /** Stops sampling, writes the profile to `path` (open it in Chrome DevTools) and disconnects. */
  async stop(path: string): Promise<CpuProfile> {
    const { profile } = (await this.#call('Profiler.stop')) as { profile: CpuProfile };
    writeFileSync(path, JSON.stringify(profile));
    this.#socket.close();
    return profile;
  }
}

/** One row of a profile summary: a function and its share of the busy samples. */
export interface ProfileEntry {
  functionName: string;
  location: string;
  /** Self time as a percentage of all samples that were not idle. */
  selfPercent: number;
}

const NOT_BUSY = new Set(['(idle)', '(program)']);

/**
 * Lists the functions with the most self time, as a share of busy samples. Idle and "(program)"
 * samples (time outside JavaScript that V8 cannot attribute) are left out of the total.
 */
export function topSelfTime(profile: CpuProfile, limit = 12): ProfileEntry[] {
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  if (hits.size === 0) for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);

  const byFunction = new Map<string, { functionName: string; location: string; hits: number }>();
  let busy = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    const name = node.callFrame.functionName || '(anonymous)';
    if (count === 0 || NOT_BUSY.has(name)) continue;
    busy += count;
    const location = node.callFrame.url ? `${shortenUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}` : '';
    const key = `${name}@${location}`;
    const entry = byFunction.get(key) ?? { functionName: name, location, hits: 0 };
    entry.hits += count;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, limit)
    .map((entry) => ({ functionName: entry.functionName, location: entry.location, selfPercent: busy ? (100 * entry.hits) / busy : 0 }));
}

/** Self time of one area of the code (a folder of src/, a package, native code), as a share of busy samples. */
export interface AreaEntry {
  area: string;
  selfPercent: number;
}

/**
 * Groups self time by area: `src/<folder>` for the service's own code, the package name for
 * node_modules, and named buckets for garbage collection, Node internals and native code.
 * `bundleModules` maps line numbers of the Node bundle (dist/server.js) to source files.
 */
export function selfTimeByArea(profile: CpuProfile, bundleModules: BundleModuleMap | null): AreaEntry[] {
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byArea = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    const name = node.callFrame.functionName || '(anonymous)';
    if (count === 0 || NOT_BUSY.has(name)) continue;
    busy += count;
    const area = areaOf(node, bundleModules);
    byArea.set(area, (byArea.get(area) ?? 0) + count);
  }
  return [...byArea.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([area, count]) => ({ area, selfPercent: busy ? (100 * count) / busy : 0 }));
}

/** Start lines of the modules in an esbuild bundle, from its `// src/...` and `// node_modules/...` markers. */
export type BundleModuleMap = Array<{ line: number; path: string }>;

export function readBundleModules(bundleText: string): BundleModuleMap {
  const modules: BundleModuleMap = [];
  bundleText.split('\n').forEach((text, index) => {
    const match = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(text);
    if (match) modules.push({ line: index + 1, path: match[1]! });
  });
  return modules;
}

function areaOf(node: ProfileNode, bundleModules: BundleModuleMap | null): string {
  const { url, functionName, lineNumber } = node.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (!url) return functionName.startsWith('libsql') ? 'SQLite (libsql native code)' : 'other native code';
  if (url.startsWith('node:') || url.startsWith('ext:')) return 'runtime internals';
  let path = url;
  if (bundleModules && url.endsWith('/dist/server.js')) {
    let module = 'dist/server.js';
    for (const entry of bundleModules) {
      if (entry.line > lineNumber + 1) break;
      module = entry.path;
    }
    path = module;
  }
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = path.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const source = /(?:^|\/)src\/([^/]+)\//.exec(path);
  return source ? `src/${source[1]}` : shortenUrl(path);
}

/** Keeps the part of a script URL after node_modules/ or the repository's src/ folder. */
function shortenUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const source = url.lastIndexOf('/src/');
  if (source >= 0) return url.slice(source + 1);
  const dist = url.lastIndexOf('/dist/');
  return dist >= 0 ? url.slice(dist + 1) : url;
}
