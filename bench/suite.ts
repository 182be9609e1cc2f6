// The whole benchmark: each scenario against raw ws, bare Hocuspocus and JunoKit, every target
// server in its own child process of this one; then two JunoKit instances against one, and the
// embedded local model against node-llama-cpp. Sizes: full (`npm run bench`), quick
// (BENCH_QUICK=1) and tiny (the smoke test).
import { execFileSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { cpus } from "node:os";
import { startEndpoint, type Endpoint } from "./ai-endpoint";
import { runAiStreaming, type AiStreamingResult, type AiStreamingRun, type AiStreamingSizes } from "./ai-streaming";
import { runCluster, type ClusterResult, type ClusterSizes } from "./cluster";
import { runColdLoad, type LoadResult, type LoadSizes } from "./cold-load";
import { runDurability, type DurabilityResult, type DurabilitySizes } from "./durability";
import { runFanout, type FanoutRun, type FanoutSizes } from "./fanout";
import { BROWSER_FULL, BROWSER_QUICK, BROWSER_TINY, runBrowserBench, type BrowserResult, type BrowserSizes } from "./browser";
import { OFFLINE_SEARCH_FULL, OFFLINE_SEARCH_QUICK, OFFLINE_SEARCH_TINY, runOfflineSearchBench, type OfflineSearchResult, type OfflineSearchSizes } from "./offline-search";
import { LOCAL_MODEL_FULL, LOCAL_MODEL_QUICK, LOCAL_MODEL_TINY, runLocalModelBench, type LocalModelResult, type LocalModelSizes } from "./local-model";
import { measureConnections, measureDocuments, type MemoryResult, type MemorySizes } from "./memory";
import { TARGET_LABEL, TARGETS, type TargetKind } from "./protocol";
import { medianRun, type Summary } from "./samples";
import { startTarget, type StartTargetOptions, type TargetServer } from "./targets";

export interface BenchSizes {
  fanout: FanoutSizes;
  load: LoadSizes;
  memory: MemorySizes;
  durability: DurabilitySizes;
  ai: AiStreamingSizes;
  cluster: ClusterSizes;
  localModel: LocalModelSizes;
  browser: BrowserSizes;
  offlineSearch: OfflineSearchSizes;
}

/** Scenario groups, in the order they run; BENCH_ONLY=ai,cluster runs just those. */
export const SCENARIOS = ["fanout", "load", "memory", "ai", "cluster", "local-model", "browser", "offline-search"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const FULL: BenchSizes = {
  fanout: { peers: [10, 100], edits: 200, warmup: 20, intervalMs: 20, rounds: 3, quietWaitMs: 5_000 },
  load: { messages: 1000, runs: 7 },
  memory: { connections: 500, documents: 200, messagesPerDocument: 20, base: 10, settleMs: 1_000, gcs: 6 },
  durability: { edits: 200 },
  ai: { peers: [1, 10, 100], tokens: 150, spacingMs: 10, replies: 4, overheadPrompts: 20 },
  cluster: { peers: [10, 100], edits: 200, warmup: 20, intervalMs: 20, rounds: 1, quietWaitMs: 2_000, conversations: 10, seconds: 5 },
  localModel: LOCAL_MODEL_FULL,
  browser: BROWSER_FULL,
  offlineSearch: OFFLINE_SEARCH_FULL,
};

export const QUICK: BenchSizes = {
  fanout: { peers: [10, 100], edits: 50, warmup: 10, intervalMs: 20, rounds: 1, quietWaitMs: 0 },
  load: { messages: 1000, runs: 3 },
  memory: { connections: 50, documents: 50, messagesPerDocument: 20, base: 5, settleMs: 300, gcs: 6 },
  durability: { edits: 50 },
  ai: { peers: [1, 10, 100], tokens: 100, spacingMs: 10, replies: 2, overheadPrompts: 10 },
  cluster: { peers: [10, 100], edits: 50, warmup: 10, intervalMs: 20, rounds: 1, quietWaitMs: 0, conversations: 10, seconds: 2 },
  localModel: LOCAL_MODEL_QUICK,
  browser: BROWSER_QUICK,
  offlineSearch: OFFLINE_SEARCH_QUICK,
};

/** Just enough to prove the harness works end to end (the smoke test). */
export const TINY: BenchSizes = {
  fanout: { peers: [3], edits: 10, warmup: 2, intervalMs: 5, rounds: 1, quietWaitMs: 0 },
  load: { messages: 50, runs: 1 },
  memory: { connections: 5, documents: 5, messagesPerDocument: 2, base: 2, settleMs: 50, gcs: 1 },
  durability: { edits: 5 },
  ai: { peers: [2], tokens: 10, spacingMs: 5, replies: 1, overheadPrompts: 2 },
  cluster: { peers: [3], edits: 10, warmup: 2, intervalMs: 5, rounds: 1, quietWaitMs: 0, conversations: 2, seconds: 0.5 },
  localModel: LOCAL_MODEL_TINY,
  browser: BROWSER_TINY,
  offlineSearch: OFFLINE_SEARCH_TINY,
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
  /** A target kind, or the setup/path that failed. */
  target: string;
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
  /** The scenario groups this run measured (all, unless BENCH_ONLY). */
  scenarios: Scenario[];
  fanout: FanoutFigure[];
  fanoutRuns: FanoutRun[];
  load: LoadResult[];
  memoryPerConnection: MemoryResult[];
  memoryPerDocument: MemoryResult[];
  durability: DurabilityResult[];
  aiStreaming: AiStreamingRun[];
  /** µs of server CPU per token for just reading the endpoint's stream (raw ws, no peers). */
  aiStreamReadCpuPerTokenUs?: number;
  cluster?: ClusterResult;
  localModel?: LocalModelResult;
  /** Cached conversations in Chromium: navigation → first message painted (issue 5). */
  browser?: BrowserResult;
  /** This device's cached conversations searched offline in Chromium (SPEC SRCH-7). */
  offlineSearch?: OfflineSearchResult;
  errors: BenchError[];
}

export interface BenchOptions {
  sizes: BenchSizes;
  mode: string;
  progress: (message: string) => void;
  profileDir?: string;
  /** Run only these scenario groups (default: all). */
  only?: Scenario[];
}

/** A run counts as contended when other work took more than this share of the machine. */
const CONTENDED = 0.2;

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const started = Date.now();
  const { sizes, progress } = options;
  const errors: BenchError[] = [];
  const scenarios = SCENARIOS.filter((s) => !options.only || options.only.includes(s));
  const runs = (scenario: Scenario) => scenarios.includes(scenario);
  const start = (kind: TargetKind, more: Omit<StartTargetOptions, "profileDir"> = {}) =>
    startTarget(kind, { ...more, ...(options.profileDir ? { profileDir: options.profileDir } : {}) });
  const failed = (scenario: string, target: string, err: unknown) => {
    errors.push({ scenario, target, error: err instanceof Error ? err.message : String(err) });
    progress(`${scenario} · ${target} FAILED: ${String(err)}`);
  };

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
        failed(scenario, TARGET_LABEL[kind], err);
      } finally {
        await target?.stop();
      }
    }
    return out;
  }

  /** Keeps the three servers up together, so a scenario can interleave the targets. */
  async function together<T>(scenario: string, env: Partial<Record<TargetKind, Record<string, string>>>, body: (targets: Map<TargetKind, TargetServer>) => Promise<T>): Promise<T | undefined> {
    const targets = new Map<TargetKind, TargetServer>();
    try {
      progress(`${scenario} · starting ${TARGETS.map((k) => TARGET_LABEL[k]).join(", ")}`);
      const started = await Promise.allSettled(TARGETS.map((kind) => start(kind, env[kind] ? { env: env[kind] } : {})));
      started.forEach((s, i) => s.status === "fulfilled" && targets.set(TARGETS[i]!, s.value));
      const refused = started.find((s) => s.status === "rejected");
      if (refused) throw refused.reason;
      return await body(targets);
    } catch (err) {
      failed(scenario, "all", err);
      return undefined;
    } finally {
      await Promise.all([...targets.values()].map((t) => t.stop()));
    }
  }

  const fanoutRuns = runs("fanout")
    ? ((await together("fan-out", {}, async (targets) => {
        if (options.profileDir) await mkdir(options.profileDir, { recursive: true });
        return runFanout(targets, sizes.fanout, progress, options.profileDir ? { profileDir: options.profileDir } : {});
      })) ?? [])
    : [];
  const hocuspocus = TARGETS.filter((k) => k !== "raw");
  const loadAndAck = runs("load")
    ? await each("cold load + ack", hocuspocus, async (target) => ({
        load: await runColdLoad(target, sizes.load, progress),
        durability: await runDurability(target, sizes.durability, progress),
      }))
    : [];
  const memoryPerConnection = runs("memory") ? await each("memory per connection", TARGETS, (t) => measureConnections(t, sizes.memory, progress)) : [];
  const memoryPerDocument = runs("memory") ? await each("memory per document", TARGETS, (t) => measureDocuments(t, sizes.memory, progress)) : [];
  const ai = runs("ai") ? await aiStreamingAll(sizes.ai, together, failed, progress) : undefined;

  let cluster: ClusterResult | undefined;
  if (runs("cluster")) {
    try {
      cluster = await runCluster((more) => start("junokit", more), sizes.cluster, progress);
    } catch (err) {
      failed("two instances vs one", "cluster", err);
    }
  }
  let localModel: LocalModelResult | undefined;
  if (runs("local-model")) {
    try {
      localModel = await runLocalModelBench(sizes.localModel, progress);
    } catch (err) {
      failed("local model", "node-llama-cpp", err);
    }
  }

  let browser: BrowserResult | undefined;
  if (runs("browser")) {
    try {
      browser = await runBrowserBench(sizes.browser, progress, options.profileDir ? { traceDir: `${options.profileDir}/browser` } : {});
    } catch (err) {
      failed("browser", "chromium", err);
    }
  }

  let offlineSearch: OfflineSearchResult | undefined;
  if (runs("offline-search")) {
    try {
      offlineSearch = await runOfflineSearchBench(sizes.offlineSearch, progress);
    } catch (err) {
      failed("offline search", "chromium", err);
    }
  }

  return {
    mode: options.mode,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine: { cpus: cpus().length, node: process.version },
    source: sourceState(),
    sizes,
    scenarios,
    fanout: figures(fanoutRuns),
    fanoutRuns,
    load: loadAndAck.map((r) => r.load),
    memoryPerConnection,
    memoryPerDocument,
    durability: loadAndAck.map((r) => r.durability),
    aiStreaming: ai?.runs ?? [],
    ...(ai?.streamReadCpuPerTokenUs !== undefined ? { aiStreamReadCpuPerTokenUs: ai.streamReadCpuPerTokenUs } : {}),
    ...(cluster ? { cluster } : {}),
    ...(localModel ? { localModel } : {}),
    ...(browser ? { browser } : {}),
    ...(offlineSearch ? { offlineSearch } : {}),
    errors,
  };
}

type Together = <T>(scenario: string, env: Partial<Record<TargetKind, Record<string, string>>>, body: (targets: Map<TargetKind, TargetServer>) => Promise<T>) => Promise<T | undefined>;

/** The scripted endpoint runs in a process of its own; every target, JunoKit's AI included, calls it. */
async function aiStreamingAll(
  sizes: AiStreamingSizes,
  together: Together,
  failed: (scenario: string, target: string, err: unknown) => void,
  progress: (message: string) => void,
): Promise<AiStreamingResult | undefined> {
  let endpoint: Endpoint;
  try {
    endpoint = await startEndpoint();
  } catch (err) {
    failed("AI streaming", "scripted endpoint", err);
    return undefined;
  }
  try {
    const junokit = {
      AI_BASE_URL: endpoint.baseUrl,
      AI_API_KEY: "sk-bench",
      AI_MODEL: "bench-model",
      // The reply reports come from the log (info); the limits would refuse a bench's pace.
      LOG_LEVEL: "info",
      AI_PROMPTS_PER_USER_PER_MINUTE: "100000",
      AI_PROMPTS_PER_WORKSPACE_PER_MINUTE: "100000",
    };
    return await together("AI streaming", { junokit }, (targets) => runAiStreaming(targets, endpoint, sizes, progress));
  } finally {
    await endpoint.stop();
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
