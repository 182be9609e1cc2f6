// How busy the whole machine is (from /proc/stat), so runs disturbed by other work on this
// shared 2-core box can be told apart from quiet ones.
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

const TICK_MS = 10; // USER_HZ is 100 on Linux

export interface MachineSample {
  at: number;
  busyMs: number;
}

export function sampleMachine(): MachineSample {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return { at: Date.now(), busyMs: (user + nice + system + irq + softirq + steal) * TICK_MS };
  } catch {
    return { at: Date.now(), busyMs: Number.NaN };
  }
}

/** Share of all cores busy between two samples, minus the CPU the bench's own processes used. */
export function foreignLoad(from: MachineSample, to: MachineSample, ownCpuMs: number): number {
  const wall = (to.at - from.at) * cpus().length;
  return wall > 0 ? Math.max(0, (to.busyMs - from.busyMs - ownCpuMs) / wall) : Number.NaN;
}

/** Waits (bounded) for a window in which the machine is mostly idle; returns the load seen. */
export async function waitForQuiet(maxWaitMs: number, threshold = 0.25, windowMs = 500): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  let load = Number.NaN;
  while (Date.now() < deadline) {
    const from = sampleMachine();
    await new Promise((r) => setTimeout(r, windowMs));
    load = foreignLoad(from, sampleMachine(), 0);
    if (!(load > threshold)) return load;
  }
  return load;
}

export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU time (ms) so far of every live process whose command name is one of `names`, by pid. */
export function sampleServices(names: readonly string[]): Map<number, number> {
  const out = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return out;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      if (!names.includes(stat.slice(stat.indexOf("(") + 1, close))) continue;
      const fields = stat.slice(close + 2).split(" ");
      out.set(Number(pid), (Number(fields[11]) + Number(fields[12])) * TICK_MS); // utime + stime
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * CPU the services used between two samples (e.g. redis-server and the postgres backends a
 * scenario drives, whose work is then not "other work"): per process, so a backend that exits
 * in between is left out rather than subtracted; one that started counts from zero.
 */
export function servicesCpuMs(from: Map<number, number>, to: Map<number, number>): number {
  let ms = 0;
  for (const [pid, used] of to) ms += used - (from.get(pid) ?? 0);
  return ms;
}

/**
 * CPU time (ms) so far of a process and all its live descendants (a browser the bench
 * launched, with its renderers and GPU process), from /proc; children that already exited
 * are not counted.
 */
export function processTreeCpuMs(rootPid: number): number {
  const parentOf = new Map<number, number>();
  const cpu = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return Number.NaN;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parentOf.set(Number(pid), Number(fields[1]));
      cpu.set(Number(pid), (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // gone meanwhile
    }
  }
  let ms = 0;
  for (const [pid, used] of cpu) {
    let p: number | undefined = pid;
    for (let depth = 0; p !== undefined && p > 1 && depth < 16; depth++) {
      if (p === rootPid) {
        ms += used;
        break;
      }
      p = parentOf.get(p);
    }
  }
  return ms;
}
