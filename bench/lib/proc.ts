/**
 * Linux /proc readers for the harness: machine CPU time, per-process CPU time and resident
 * memory. The "foreign CPU" meter (machine user and system time minus the harness's own
 * processes) separates a clean run from one disturbed by other work on the machine.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second (`getconf CLK_TCK`); 100 on every Linux we target. */
export const TICKS_PER_SECOND = 100;

/** Busy and total CPU time of the whole machine, in ticks summed over all cores. */
export interface MachineTicks {
  busy: number;
  /** Busy time in user and system mode, the part that processes are charged for. */
  processBusy: number;
  total: number;
}

export function readMachineTicks(): MachineTicks {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal; guest time is already inside user.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq;
  return { busy, processBusy: user + nice + system, total: busy + idle + iowait + steal };
}

/** User and system CPU time of one process in ticks, or null when it has exited. */
export function readProcessTicks(pid: number): { user: number; system: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and brackets, so fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]), system: Number(fields[12]) };
  } catch {
    return null;
  }
}

/** Resident set size of one process in bytes, or null when it has exited. */
export function readRssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Number of logical CPUs the kernel reports online. */
export function onlineCpuCount(): number {
  return readFileSync('/proc/stat', 'utf8').split('\n').filter((line) => /^cpu\d+ /.test(line)).length;
}

/**
 * Measures CPU use over a window: each tracked process's CPU in percent of one core, the
 * machine's busy percent, and the foreign percent (machine busy minus tracked processes).
 * A process tracked after `start()` counts from when it is tracked. The meter samples every
 * 200 ms, so a tracked process that exits before `stop()` loses at most its last 200 ms.
 */
export class CpuMeter {
  readonly #pids = new Map<number, string>();
  #startMachine: MachineTicks | null = null;
  #startProcesses = new Map<number, number>();
  #lastProcesses = new Map<number, number>();
  #sampler: ReturnType<typeof setInterval> | null = null;

  /** Counts `pid` under `name` as one of ours; several pids may share a name. */
  track(pid: number, name: string): void {
    this.#pids.set(pid, name);
    const ticks = readProcessTicks(pid);
    if (!ticks || !this.#startMachine) return;
    this.#startProcesses.set(pid, ticks.user + ticks.system);
    this.#lastProcesses.set(pid, ticks.user + ticks.system);
  }

  start(): void {
    this.#startMachine = readMachineTicks();
    this.#startProcesses = new Map();
    for (const pid of this.#pids.keys()) {
      const ticks = readProcessTicks(pid);
      if (ticks) this.#startProcesses.set(pid, ticks.user + ticks.system);
    }
    this.#lastProcesses = new Map(this.#startProcesses);
    this.#sampler = setInterval(() => this.sample(), 200);
    this.#sampler.unref();
  }

  /** Samples the tracked processes so CPU used by one that exits before `stop()` is still counted. */
  sample(): void {
    for (const pid of this.#pids.keys()) {
      const ticks = readProcessTicks(pid);
      if (ticks) this.#lastProcesses.set(pid, ticks.user + ticks.system);
    }
  }

  /** Returns CPU percent (100 = one core) per process name, for the machine and for foreign work. */
  stop(): CpuUsage {
    if (!this.#startMachine) throw new Error('CpuMeter.stop() called before start().');
    if (this.#sampler) clearInterval(this.#sampler);
    this.sample();
    const machine = readMachineTicks();
    const totalTicks = machine.total - this.#startMachine.total;
    const cpus = onlineCpuCount();
    // Wall time of the window in ticks of one core.
    const windowTicks = totalTicks / cpus;
    const percent = (ticks: number) => (windowTicks > 0 ? (100 * ticks) / windowTicks : 0);

    const byName: Record<string, number> = {};
    let ownTicks = 0;
    for (const [pid, name] of this.#pids) {
      const used = (this.#lastProcesses.get(pid) ?? 0) - (this.#startProcesses.get(pid) ?? this.#lastProcesses.get(pid) ?? 0);
      ownTicks += used;
      byName[name] = (byName[name] ?? 0) + percent(used);
    }
    const busy = machine.busy - this.#startMachine.busy;
    // Interrupt time is left out of the foreign share: with IRQ time accounting the kernel
    // charges loopback packet processing (softirq) to no process, although our own sockets
    // cause it, so it would make a busy loopback benchmark look disturbed.
    const processBusy = machine.processBusy - this.#startMachine.processBusy;
    return {
      processes: byName,
      machinePercent: percent(busy),
      foreignPercent: Math.max(0, percent(processBusy - ownTicks)),
      seconds: windowTicks / TICKS_PER_SECOND,
    };
  }
}

export interface CpuUsage {
  /** CPU percent per tracked process name; 100 is one core busy for the whole window. */
  processes: Record<string, number>;
  machinePercent: number;
  /** User and system time not used by tracked processes, in percent of one core. */
  foreignPercent: number;
  seconds: number;
}

/**
 * Waits until the machine has been quiet for one second (busy time outside `ownPids` under
 * `thresholdPercent` of one core), or until `timeoutMs` passes. Returns the last foreign
 * percent, or NaN when `timeoutMs` is 0 and nothing was measured.
 */
export async function waitForQuietMachine(ownPids: number[], timeoutMs = 30_000, thresholdPercent = 10): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let foreign = Number.NaN;
  while (Date.now() < deadline) {
    const meter = new CpuMeter();
    for (const pid of ownPids) meter.track(pid, 'own');
    meter.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    foreign = meter.stop().foreignPercent;
    if (foreign < thresholdPercent) return foreign;
  }
  return foreign;
}

let pinningAvailable: boolean | undefined;

/**
 * Returns whether processes can be pinned: taskset is installed and there are at least two
 * CPUs. Without it the harness runs everything unpinned and notes that in the report.
 */
export function canPin(): boolean {
  pinningAvailable ??= onlineCpuCount() >= 2 && ['/usr/bin/taskset', '/bin/taskset'].some((path) => existsSync(path));
  return pinningAvailable;
}

/** Time one thread spent on a CPU and waiting in a run queue for one, in nanoseconds. */
export interface ThreadSchedule {
  onCpuNs: number;
  waitingNs: number;
}

/**
 * Reads /proc/<pid>/task/<tid>/schedstat for every thread of `pid`. Returns an empty map when
 * the process has exited or the kernel keeps no scheduler statistics.
 */
export function readThreadSchedules(pid: number): Map<number, ThreadSchedule> {
  const threads = new Map<number, ThreadSchedule>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const [onCpu, waiting] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      threads.set(Number(tid), { onCpuNs: onCpu ?? 0, waitingNs: waiting ?? 0 });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/** Scheduler time of a process's main thread and of all its other threads over a window. */
export interface ProcessSchedule {
  main: ThreadSchedule;
  others: ThreadSchedule;
  /** Threads that ran at least once in the window. */
  activeThreads: number;
}

/** Subtracts two `readThreadSchedules` readings of `pid`. The main thread's id is the pid. */
export function scheduleBetween(pid: number, before: Map<number, ThreadSchedule>, after: Map<number, ThreadSchedule>): ProcessSchedule {
  const schedule: ProcessSchedule = { main: { onCpuNs: 0, waitingNs: 0 }, others: { onCpuNs: 0, waitingNs: 0 }, activeThreads: 0 };
  for (const [tid, end] of after) {
    const start = before.get(tid) ?? { onCpuNs: 0, waitingNs: 0 };
    const onCpuNs = end.onCpuNs - start.onCpuNs;
    if (onCpuNs <= 0) continue;
    schedule.activeThreads += 1;
    const into = tid === pid ? schedule.main : schedule.others;
    into.onCpuNs += onCpuNs;
    into.waitingNs += end.waitingNs - start.waitingNs;
  }
  return schedule;
}
