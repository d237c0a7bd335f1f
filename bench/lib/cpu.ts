// Where the CPU went during a measurement: each process of the system (read from /proc), the
// bench itself, and everything else on the machine (other people's test runs). On a 2-core
// machine that shares the databases, this is what says which part bounds a throughput.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { speedProbeBetween } from './speed-probe.js';

/** Linux USER_HZ: /proc times are in these ticks on every mainstream architecture. */
const TICKS_PER_SEC = 100;

export interface CpuGroup {
  name: string;
  /** pids of the group now (read at the end of the window) */
  pids(): number[];
}

export interface CpuReport {
  /** percent of one core, per group, over the window */
  byGroup: Record<string, number>;
  /** the bench process itself (load generator, client) */
  bench: number;
  /** busy percent of all cores together (200 = both cores busy) */
  machine: number;
  /** percent of one core the hypervisor took from this machine's virtual CPUs (steal time): not in `machine` */
  steal: number;
  /** machine − ours: other processes on the machine */
  others: number;
  /** the other processes that used the most (at least 1 % of a core), by command name: what disturbed the window */
  othersTop: { command: string; percent: number }[];
  cores: number;
  seconds: number;
  /**
   * Per group, how many times its threads slept and were woken in the window (voluntary context
   * switches: waiting on a socket, a lock, a timer). Work a CPU cannot batch away: on a virtual
   * machine each wake-up of an idle CPU also costs the hypervisor's exit and interrupt.
   */
  wakeups: Record<string, number>;
  /**
   * The median CPU time, in microseconds, of a fixed piece of work run every half second in the
   * window (speed-probe.ts): how fast the CPU ran for everyone, to tell a slow CPU from slow code.
   * null when the run started no probe.
   */
  speedProbeUs: number | null;
}

/** user+system CPU milliseconds of a process so far; 0 when it is gone (or not Linux). */
export function processCpuMs(pid: number): number {
  return processStat(pid)?.cpuMs ?? 0;
}

/** processCpuMs, and of it the milliseconds spent in the kernel (system calls, page faults, interrupts it took), in one reading; 0 when it is gone. */
export function processCpuTimes(pid: number): { cpuMs: number; kernelMs: number } {
  const stat = processStat(pid);
  return { cpuMs: stat?.cpuMs ?? 0, kernelMs: stat?.kernelMs ?? 0 };
}

/** A process's command name (kernel threads included) and CPU milliseconds so far; undefined when it is gone. */
function processStat(pid: number): { command: string; cpuMs: number; kernelMs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name, which may contain spaces: utime is field 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime] = [Number(fields[11]), Number(fields[12])];
    return { command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpuMs: ((utime + stime) * 1000) / TICKS_PER_SEC, kernelMs: (stime * 1000) / TICKS_PER_SEC };
  } catch {
    return undefined;
  }
}

/** CPU milliseconds so far of every process on the machine, by pid. */
function allProcessesCpuMs(): Map<number, { command: string; cpuMs: number }> {
  const all = new Map<number, { command: string; cpuMs: number }>();
  for (const pid of procPids()) {
    const stat = processStat(pid);
    if (stat) all.set(pid, stat);
  }
  return all;
}

/** Voluntary context switches so far of all a process's threads; 0 when it is gone. */
function voluntarySwitches(pid: number): number {
  let switches = 0;
  try {
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      const match = /^voluntary_ctxt_switches:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/task/${thread}/status`, 'utf8'));
      switches += match ? Number(match[1]) : 0;
    }
  } catch {
    // exited while read
  }
  return switches;
}

/** Resident memory of a process in bytes (VmRSS), or NaN. */
export function residentBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * The machine's ticks so far. `steal` is time the hypervisor gave the virtual CPUs to someone
 * else while they had work: not busy here, but time our processes waited for.
 */
function machineTicks(): { busy: number; steal: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number) as number[];
    const total = user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!;
    return { busy: total - idle! - iowait! - steal!, steal: steal!, total };
  } catch {
    return { busy: 0, steal: 0, total: 0 };
  }
}

/** A postmaster and its backends. */
export function postgresPids(postmasterPid: number | undefined): () => number[] {
  return () => (postmasterPid ? [postmasterPid, ...childrenOf(postmasterPid)] : []);
}

/** The redis-server serving `port` on this machine. */
export function redisPids(port: number | undefined): () => number[] {
  return () => {
    if (!port) return [];
    return procPids().filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmd.includes('redis-server') && cmd.includes(`:${port}`);
      } catch {
        return false;
      }
    });
  };
}

function procPids(): number[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

function childrenOf(parent: number): number[] {
  return procPids().filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
    } catch {
      return false;
    }
  });
}

/** Starts a CPU window; `stop()` reports it. Processes that start inside the window count from zero. */
export function cpuWindow(groups: CpuGroup[]): { stop(): CpuReport } {
  const t0 = performance.now();
  const m0 = machineTicks();
  const b0 = process.cpuUsage();
  // one reading of every process at each end: the groups' and everyone else's
  const before = allProcessesCpuMs();
  const switchesBefore = new Map([process.pid, ...groups.flatMap((group) => group.pids())].map((pid) => [pid, voluntarySwitches(pid)]));
  const startedAtMs = Date.now();
  return {
    stop() {
      const speedProbeUs = speedProbeBetween(startedAtMs, Date.now());
      const seconds = (performance.now() - t0) / 1000;
      const m1 = machineTicks();
      const b1 = process.cpuUsage(b0);
      const after = allProcessesCpuMs();
      // one that ended inside the window is missed
      const used = (pid: number) => (after.get(pid)?.cpuMs ?? 0) - (before.get(pid)?.cpuMs ?? 0);
      const cores = os.cpus().length;
      const byGroup: Record<string, number> = {};
      const wakeups: Record<string, number> = {};
      let ours = 0;
      const ourPids = new Set([process.pid]);
      for (const group of groups) {
        let ms = 0;
        let switches = 0;
        for (const pid of group.pids()) {
          ourPids.add(pid);
          ms += used(pid);
          switches += voluntarySwitches(pid) - (switchesBefore.get(pid) ?? 0);
        }
        wakeups[group.name] = switches;
        const percent = (ms / 10 / seconds) || 0;
        byGroup[group.name] = Math.round(percent);
        ours += percent;
      }
      wakeups.bench = voluntarySwitches(process.pid) - switchesBefore.get(process.pid)!;
      const bench = (b1.user + b1.system) / 1000 / 10 / seconds;
      ours += bench;
      const share = (ticks: number) => (m1.total > m0.total ? (ticks / (m1.total - m0.total)) * 100 * cores : Number.NaN);
      const machine = share(m1.busy - m0.busy);
      const othersTop = [...after]
        .filter(([pid]) => !ourPids.has(pid))
        .map(([pid, { command }]) => ({ command, percent: Math.round(used(pid) / 10 / seconds) }))
        .filter((other) => other.percent >= 1)
        .sort((a, b) => b.percent - a.percent)
        .slice(0, 3);
      return { byGroup, bench: Math.round(bench), machine: Math.round(machine), others: Math.max(0, Math.round(machine - ours)), othersTop, steal: Math.round(share(m1.steal - m0.steal)), cores, seconds: Math.round(seconds * 10) / 10, wakeups, speedProbeUs };
    },
  };
}
