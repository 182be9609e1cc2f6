// The whole benchmark: each scenario against raw ws, bare Hocuspocus and JunoKit, every target
// server in its own child process of this one. Sizes: full (`npm run bench`), quick
// (BENCH_QUICK=1) and tiny (the smoke test).
import { execFileSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { cpus } from "node:os";
import { runColdLoad, type LoadResult, type LoadSizes } from "./cold-load";
import { runDurability, type DurabilityResult, type DurabilitySizes } from "./durability";
import { runFanout, type FanoutRun, type FanoutSizes } from "./fanout";
import { measureConnections, measureDocuments, type MemoryResult, type MemorySizes } from "./memory";
import { TARGET_LABEL, TARGETS, type TargetKind } from "./protocol";
import { medianRun, type Summary } from "./samples";
import { startTarget, type TargetServer } from "./targets";

export interface BenchSizes {
  fanout: FanoutSizes;
  load: LoadSizes;
  memory: MemorySizes;
  durability: DurabilitySizes;
}

export const FULL: BenchSizes = {
  fanout: { peers: [10, 100], edits: 200, warmup: 20, intervalMs: 20, rounds: 3, quietWaitMs: 5_000 },
  load: { messages: 1000, runs: 7 },
  memory: { connections: 500, documents: 200, messagesPerDocument: 20, base: 10, settleMs: 1_000, gcs: 6 },
  durability: { edits: 200 },
};

export const QUICK: BenchSizes = {
  fanout: { peers: [10, 100], edits: 50, warmup: 10, intervalMs: 20, rounds: 1, quietWaitMs: 0 },
  load: { messages: 1000, runs: 3 },
  memory: { connections: 50, documents: 50, messagesPerDocument: 20, base: 5, settleMs: 300, gcs: 6 },
  durability: { edits: 50 },
};

/** Just enough to prove the harness works end to end (the smoke test). */
export const TINY: BenchSizes = {
  fanout: { peers: [3], edits: 10, warmup: 2, intervalMs: 5, rounds: 1, quietWaitMs: 0 },
  load: { messages: 50, runs: 1 },
  memory: { connections: 5, documents: 5, messagesPerDocument: 2, base: 2, settleMs: 50, gcs: 1 },
  durability: { edits: 5 },
};

export interface FanoutFigure {
  target: TargetKind;
  peers: number;
  deliveries: Summary;
  lastPeer: Summary;
  lost: number;
  serverCpuPerEditUs: number;
  /** Runs the figure was chosen from (the median run by p50; quiet runs preferred). */
  rounds: number;
  quietRounds: number;
  p50Range: [number, number];
}

export interface BenchError {
  scenario: string;
  target: TargetKind;
  error: string;
}

export interface BenchResults {
  mode: string;
  startedAt: string;
  durationMs: number;
  machine: { cpus: number; node: string };
  /** The code measured: HEAD and how many server-side files differ from it (teammates' work in progress). */
  source: { commit: string; changedFiles: number };
  sizes: BenchSizes;
  fanout: FanoutFigure[];
  fanoutRuns: FanoutRun[];
  load: LoadResult[];
  memoryPerConnection: MemoryResult[];
  memoryPerDocument: MemoryResult[];
  durability: DurabilityResult[];
  errors: BenchError[];
}

export interface BenchOptions {
  sizes: BenchSizes;
  mode: string;
  progress: (message: string) => void;
  profileDir?: string;
}

/** A run counts as contended when other work took more than this share of the machine. */
const CONTENDED = 0.2;

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const started = Date.now();
  const { sizes, progress } = options;
  const errors: BenchError[] = [];
  const start = (kind: TargetKind) => startTarget(kind, options.profileDir ? { profileDir: options.profileDir } : {});

  /**
   * Runs `body` on a fresh server of each kind, one after another. The servers start together
   * (an idle sibling process disturbs neither timings nor another process's memory); a failure
   * is recorded and the rest go on.
   */
  async function each<T>(scenario: string, kinds: readonly TargetKind[], body: (target: TargetServer) => Promise<T>): Promise<T[]> {
    progress(`${scenario} · starting ${kinds.map((k) => TARGET_LABEL[k]).join(", ")}`);
    const starting = kinds.map((kind) => start(kind));
    for (const pending of starting) pending.catch(() => undefined); // awaited below, in turn
    const out: T[] = [];
    for (const [i, kind] of kinds.entries()) {
      let target: TargetServer | undefined;
      try {
        target = await starting[i]!;
        out.push(await body(target));
      } catch (err) {
        errors.push({ scenario, target: kind, error: err instanceof Error ? err.message : String(err) });
        progress(`${scenario} · ${TARGET_LABEL[kind]} FAILED: ${String(err)}`);
      } finally {
        await target?.stop();
      }
    }
    return out;
  }

  const fanoutRuns = await fanoutAll(sizes.fanout, start, progress, errors, options.profileDir);
  const hocuspocus = TARGETS.filter((k) => k !== "raw");
  const loadAndAck = await each("cold load + ack", hocuspocus, async (target) => ({
    load: await runColdLoad(target, sizes.load, progress),
    durability: await runDurability(target, sizes.durability, progress),
  }));
  const memoryPerConnection = await each("memory per connection", TARGETS, (t) => measureConnections(t, sizes.memory, progress));
  const memoryPerDocument = await each("memory per document", TARGETS, (t) => measureDocuments(t, sizes.memory, progress));

  return {
    mode: options.mode,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine: { cpus: cpus().length, node: process.version },
    source: sourceState(),
    sizes,
    fanout: figures(fanoutRuns),
    fanoutRuns,
    load: loadAndAck.map((r) => r.load),
    memoryPerConnection,
    memoryPerDocument,
    durability: loadAndAck.map((r) => r.durability),
    errors,
  };
}

/** Fan-out keeps the three servers up together, so rounds can interleave the targets. */
async function fanoutAll(
  sizes: FanoutSizes,
  start: (kind: TargetKind) => Promise<TargetServer>,
  progress: (message: string) => void,
  errors: BenchError[],
  profileDir?: string,
): Promise<FanoutRun[]> {
  const targets = new Map<TargetKind, TargetServer>();
  try {
    progress(`fan-out · starting ${TARGETS.map((k) => TARGET_LABEL[k]).join(", ")}`);
    const started = await Promise.allSettled(TARGETS.map((kind) => start(kind)));
    started.forEach((s, i) => s.status === "fulfilled" && targets.set(TARGETS[i]!, s.value));
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    return await runFanout(targets, sizes, progress, profileDir ? { profileDir } : {});
  } catch (err) {
    errors.push({ scenario: "fan-out", target: "junokit", error: err instanceof Error ? err.message : String(err) });
    progress(`fan-out FAILED: ${String(err)}`);
    return [];
  } finally {
    await Promise.all([...targets.values()].map((t) => t.stop()));
  }
}

function figures(runs: FanoutRun[]): FanoutFigure[] {
  const out: FanoutFigure[] = [];
  for (const target of TARGETS) {
    for (const peers of new Set(runs.map((r) => r.peers))) {
      const all = runs.filter((r) => r.target === target && r.peers === peers);
      const quiet = all.filter((r) => !(r.foreignLoad > CONTENDED));
      const chosen = medianRun(quiet.length > 0 ? quiet : all, (r) => r.deliveries.p50);
      if (!chosen) continue;
      const p50s = all.map((r) => r.deliveries.p50);
      out.push({
        target,
        peers,
        deliveries: chosen.deliveries,
        lastPeer: chosen.lastPeer,
        lost: chosen.lost,
        serverCpuPerEditUs: chosen.serverCpuPerEditUs,
        rounds: all.length,
        quietRounds: quiet.length,
        p50Range: [Math.min(...p50s), Math.max(...p50s)],
      });
    }
  }
  return out;
}

function sourceState(): BenchResults["source"] {
  const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    const changed = git("status", "--porcelain", "--", "collab-server", "doc-model").split("\n").filter(Boolean).length;
    return { commit: git("rev-parse", "--short", "HEAD"), changedFiles: changed };
  } catch {
    return { commit: "unknown", changedFiles: -1 };
  }
}
