// Turns results into the printed tables (scenario × target, with ratios; two instances vs one)
// and the goals of issues 2 and 4 with pass/fail marks; the same rows go into the JSON file.
import type { AiStreamingRun } from "./ai-streaming";
import { CLUSTER_SETUPS, SETUP_LABEL, type ClusterFanoutRun, type ClusterResult, type ClusterSetup, type ClusterThroughput } from "./cluster";
import { renderBrowser } from "./browser";
import { renderOfflineSearch } from "./offline-search";
import { renderLocalModel } from "./local-model";
import type { TargetKind } from "./protocol";
import type { BenchResults } from "./suite";

/** A figure per target; null = does not apply (n/a); undefined = not measured (error). */
export interface Row {
  scenario: string;
  unit: string;
  values: Partial<Record<TargetKind, number | null>>;
  /** JunoKit ÷ bare Hocuspocus, and bare Hocuspocus ÷ raw ws, when both exist. */
  junoOverBare?: number;
  bareOverRaw?: number;
}

/** A figure per setup of "two instances vs one". */
export interface ClusterRow {
  scenario: string;
  unit: string;
  values: Partial<Record<ClusterSetup, number | null>>;
  /** Two instances (PostgreSQL + Redis) ÷ one on PostgreSQL: what Redis and the second instance cost. */
  twoOverOne?: number;
  /** One instance on PostgreSQL ÷ one on LevelDB: what PostgreSQL costs. */
  postgresOverLevel?: number;
}

export interface Goal {
  /** The issue that set the goal. */
  issue: number;
  goal: string;
  measured: string;
  pass: boolean;
}

export interface Report {
  rows: Row[];
  clusterRows: ClusterRow[];
  goals: Goal[];
}

const KB = 1024;

function row(scenario: string, unit: string, values: Row["values"]): Row {
  const ratio = (a?: number | null, b?: number | null) => (a != null && b != null && b > 0 ? a / b : undefined);
  const r: Row = { scenario, unit, values };
  const jb = ratio(values.junokit, values.bare);
  const br = ratio(values.bare, values.raw);
  if (jb !== undefined) r.junoOverBare = jb;
  if (br !== undefined) r.bareOverRaw = br;
  return r;
}

export function buildReport(results: BenchResults): Report {
  const rows: Row[] = [];
  const goals: Goal[] = [];
  const ran = (scenario: BenchResults["scenarios"][number]) => results.scenarios.includes(scenario);
  if (ran("fanout")) fanoutSection(results, rows, goals);
  if (ran("load")) loadSection(results, rows);
  if (ran("memory")) memorySection(results, rows, goals);
  if (ran("load")) ackSection(results, rows, goals);
  if (ran("ai")) aiSection(results, rows, goals);
  return { rows, clusterRows: ran("cluster") ? clusterSection(results) : [], goals };
}

function fanoutSection(results: BenchResults, rows: Row[], goals: Goal[]): void {
  for (const peers of new Set(results.fanout.map((f) => f.peers))) {
    const at = (kind: TargetKind) => results.fanout.find((f) => f.target === kind && f.peers === peers);
    const pick = (get: (f: NonNullable<ReturnType<typeof at>>) => number) => ({
      raw: at("raw") && get(at("raw")!), bare: at("bare") && get(at("bare")!), junokit: at("junokit") && get(at("junokit")!),
    });
    const p50 = row(`fan-out N=${peers}, every delivery p50`, "ms", pick((f) => f.deliveries.p50));
    const p99 = row(`fan-out N=${peers}, every delivery p99`, "ms", pick((f) => f.deliveries.p99));
    rows.push(p50, p99);
    rows.push(row(`fan-out N=${peers}, last peer p50`, "ms", pick((f) => f.lastPeer.p50)));
    rows.push(row(`fan-out N=${peers}, last peer p99`, "ms", pick((f) => f.lastPeer.p99)));
    rows.push(row(`fan-out N=${peers}, server CPU per edit`, "µs", pick((f) => f.serverCpuPerEditUs)));
    const lost = (["raw", "bare", "junokit"] as const).reduce((n, k) => n + (at(k)?.lost ?? 0), 0);
    // The median round prefers quiet rounds; if only one side had one, the ratio compares unlike runs.
    const quiet = (k: TargetKind) => (at(k)?.quietRounds ?? 0) > 0;
    const unequal = quiet("bare") !== quiet("junokit") ? ` (${quiet("bare") ? "JunoKit" : "bare"} had no quiet round: re-run on a quiet machine)` : "";
    for (const [name, r] of [["p50", p50], ["p99", p99]] as const) {
      if (r.junoOverBare === undefined) continue;
      goals.push({
        issue: 2,
        goal: `fan-out N=${peers} ${name} ≤ 1.3× bare Hocuspocus`,
        measured: `${fmtRatio(r.junoOverBare)}${lost ? `, ${lost} deliveries lost` : ""}${unequal}`,
        pass: r.junoOverBare <= 1.3 && lost === 0,
      });
    }
  }
}

function loadSection(results: BenchResults, rows: Row[]): void {
  const load = (kind: TargetKind) => results.load.find((l) => l.target === kind);
  const messages = results.load[0]?.messages ?? 0;
  rows.push(row(`cold load ${messages} msgs, connect → synced p50`, "ms", { raw: null, bare: load("bare")?.cold.p50, junokit: load("junokit")?.cold.p50 }));
  rows.push(row(`cold load ${messages} msgs, max of runs`, "ms", { raw: null, bare: load("bare")?.cold.max, junokit: load("junokit")?.cold.max }));
  rows.push(row(`warm load ${messages} msgs (doc in memory) p50`, "ms", { raw: null, bare: load("bare")?.warm.p50, junokit: load("junokit")?.warm.p50 }));
}

function memorySection(results: BenchResults, rows: Row[], goals: Goal[]): void {
  const conn = (kind: TargetKind) => results.memoryPerConnection.find((m) => m.target === kind);
  const doc = (kind: TargetKind) => results.memoryPerDocument.find((m) => m.target === kind);
  const connRss = row("memory per idle connection, RSS", "KB", { raw: kb(conn("raw")?.rssPerItem), bare: kb(conn("bare")?.rssPerItem), junokit: kb(conn("junokit")?.rssPerItem) });
  const connHeap = row("memory per idle connection, heap", "KB", { raw: kb(conn("raw")?.heapPerItem), bare: kb(conn("bare")?.heapPerItem), junokit: kb(conn("junokit")?.heapPerItem) });
  const perDoc = results.sizes.memory.messagesPerDocument;
  const docRss = row(`memory per loaded doc (${perDoc} msgs), RSS [raw = pure Yjs]`, "KB", { raw: kb(doc("raw")?.rssPerItem), bare: kb(doc("bare")?.rssPerItem), junokit: kb(doc("junokit")?.rssPerItem) });
  const docHeap = row(`memory per loaded doc (${perDoc} msgs), heap [raw = pure Yjs]`, "KB", { raw: kb(doc("raw")?.heapPerItem), bare: kb(doc("bare")?.heapPerItem), junokit: kb(doc("junokit")?.heapPerItem) });
  rows.push(connRss, connHeap, docRss, docHeap);
  for (const [name, rss, heap] of [["connection", connRss, connHeap], ["document", docRss, docHeap]] as const) {
    // RSS is what the machine pays, but its deltas are noisy (freed pages are reused without
    // growing RSS); heap is steady. Both must hold, so a lucky RSS reading cannot hide growth.
    const show = (r: number | undefined) => (r === undefined ? "not measurable" : fmtRatio(r));
    goals.push({
      issue: 2,
      goal: `memory per ${name} ≤ 1.2× bare Hocuspocus (RSS and heap)`,
      measured: `RSS ${show(rss.junoOverBare)}, heap ${show(heap.junoOverBare)}`,
      pass: [rss.junoOverBare, heap.junoOverBare].every((r) => r !== undefined && r <= 1.2),
    });
  }
}

function ackSection(results: BenchResults, rows: Row[], goals: Goal[]): void {
  const ack = (kind: TargetKind) => results.durability.find((d) => d.target === kind);
  rows.push(row("edit → ack p50", "ms", { raw: null, bare: ack("bare")?.ack.p50, junokit: ack("junokit")?.ack.p50 }));
  rows.push(row("edit → ack p99", "ms", { raw: null, bare: ack("bare")?.ack.p99, junokit: ack("junokit")?.ack.p99 }));
  const juno = ack("junokit");
  const disk = juno?.diskMinusAck;
  rows.push(row("disk − ack p50 (negative = on disk before ack)", "ms", { raw: null, bare: null, junokit: disk?.p50 }));
  rows.push(row("disk − ack p99", "ms", { raw: null, bare: null, junokit: disk?.p99 }));
  rows.push(row("disk − ack max", "ms", { raw: null, bare: null, junokit: disk?.max }));
  rows.push(row("edits found by a store read right after their ack", "%", { raw: null, bare: null, junokit: juno && juno.visibleAtAck !== undefined ? (100 * juno.visibleAtAck) / juno.edits : undefined }));
  if (juno && disk) {
    goals.push({
      issue: 2,
      goal: "durable within 500 ms of the ack (worst case)",
      measured: `max ${fmt(disk.max)} ms, p99 ${fmt(disk.p99)} ms; ${juno.visibleAtAck}/${juno.edits} in the store at ack; ${juno.missing} never stored`,
      pass: disk.max <= 500 && juno.visibleAtAck === juno.edits && juno.missing === 0,
    });
  }
}

/** AI streaming rows per peer count, and issue 4's goals (each must hold at every peer count). */
function aiSection(results: BenchResults, rows: Row[], goals: Goal[]): void {
  const counts = [...new Set(results.aiStreaming.map((r) => r.peers))];
  const at = (kind: TargetKind, peers: number) => results.aiStreaming.find((r) => r.target === kind && r.peers === peers);
  for (const peers of counts) {
    const pick = (get: (r: AiStreamingRun) => number | undefined, kinds: readonly TargetKind[] = ["raw", "bare", "junokit"]) => {
      const values: Row["values"] = { raw: null, bare: null, junokit: null };
      for (const kind of kinds) values[kind] = at(kind, peers) && get(at(kind, peers)!);
      return values;
    };
    const name = `AI stream N=${peers}`;
    rows.push(row(`${name}, first token p50`, "ms", pick((r) => r.firstToken.p50)));
    rows.push(row(`${name}, first token at every peer (median reply)`, "ms", pick((r) => r.firstTokenAllPeers.p50)));
    rows.push(row(`${name}, later tokens p50`, "ms", pick((r) => r.laterTokens.p50)));
    rows.push(row(`${name}, later tokens p99`, "ms", pick((r) => r.laterTokens.p99)));
    rows.push(row(`${name}, first token into the server's document`, "ms", pick((r) => r.intoDocument?.firstToken.p50, ["bare", "junokit"])));
    rows.push(row(`${name}, later tokens into the server's document p99`, "ms", pick((r) => r.intoDocument?.laterTokens.p99, ["bare", "junokit"])));
    rows.push(row(`${name}, server CPU per token (whole reply)`, "µs", pick((r) => r.serverCpuPerTokenUs)));
    rows.push(row(`${name}, server CPU per token while streaming`, "µs", pick((r) => r.streamingCpuPerTokenUs)));
    rows.push(row(`${name}, document updates per reply`, "", pick((r) => r.updatesPerReply, ["bare", "junokit"])));
    rows.push(row(`${name}, document updates in the busiest second`, "/s", pick((r) => r.peakUpdatesPerSecond, ["bare", "junokit"])));
    rows.push(row(`${name}, message → upstream request p95`, "ms", pick((r) => r.overhead?.p95, ["junokit"])));
  }
  if (results.aiStreamReadCpuPerTokenUs !== undefined) {
    rows.push(row("AI stream, reading the stream only (no peers), CPU per token", "µs", { raw: results.aiStreamReadCpuPerTokenUs, bare: null, junokit: null }));
  }
  const juno = counts.map((n) => at("junokit", n)).filter((r): r is AiStreamingRun => r !== undefined);
  if (juno.length === 0) return;
  const each = (show: (r: AiStreamingRun) => string) => juno.map((r) => `N=${r.peers} ${show(r)}`).join(", ");
  const lost = juno.reduce((n, r) => n + r.lost, 0);
  const lostNote = lost > 0 ? `; ${lost} token deliveries lost` : "";

  const widest = juno.at(-1)!;
  const base = (kind: TargetKind) => at(kind, widest.peers)?.firstTokenAllPeers.p50;
  goals.push({
    issue: 4,
    goal: `first token at all ${widest.peers} peers ≤ 5 ms after the endpoint emits it`,
    measured: `median reply ${fmt(widest.firstTokenAllPeers.p50)} ms, worst ${fmt(widest.firstTokenAllPeers.max)} ms (bare Hocuspocus ${fmt(base("bare"))}, raw ws ${fmt(base("raw"))})${lostNote}`,
    pass: widest.firstTokenAllPeers.p50 <= 5 && lost === 0,
  });
  goals.push({
    issue: 4,
    goal: "later tokens ≤ 40 ms p99",
    measured: each((r) => `${fmt(r.laterTokens.p99)} ms`),
    pass: juno.every((r) => r.laterTokens.p99 <= 40) && lost === 0,
  });
  goals.push({
    issue: 4,
    goal: "≤ 30 document updates per second per reply (busiest second)",
    measured: `${each((r) => `${fmt(r.peakUpdatesPerSecond)}`)}; over the whole reply ${juno.map((r) => fmt(r.updatesPerSecond)).join(" / ")} per s; AI peer's own writes ${fmt(widest.writesPerReply)} per reply`,
    pass: juno.every((r) => (r.peakUpdatesPerSecond ?? Infinity) <= 30),
  });
  const cpuRatio = (r: AiStreamingRun) => {
    const raw = at("raw", r.peers)?.serverCpuPerTokenUs;
    return raw ? r.serverCpuPerTokenUs / raw : undefined;
  };
  const streamingRatio = (r: AiStreamingRun) => {
    const raw = at("raw", r.peers)?.streamingCpuPerTokenUs;
    return raw ? r.streamingCpuPerTokenUs / raw : undefined;
  };
  const ratioText = (ratio: number | undefined) => (ratio === undefined || Number.isNaN(ratio) ? "not measurable" : fmtRatio(ratio));
  goals.push({
    issue: 4,
    goal: "server CPU per token ≤ 0.6× the raw per-token stream (whole reply)",
    measured: `${each((r) => ratioText(cpuRatio(r)))}; while streaming only ${juno.map((r) => ratioText(streamingRatio(r))).join(" / ")}`,
    pass: juno.every((r) => (cpuRatio(r) ?? Infinity) <= 0.6),
  });
  goals.push({
    issue: 4,
    goal: "≤ 50 ms p95 app overhead, person's message → upstream request",
    measured: `${each((r) => `${fmt(r.overhead?.p95)} ms`)} (inside the server p95: ${juno.map((r) => fmt(r.overheadInServer?.p95)).join(" / ")} ms)`,
    pass: juno.every((r) => (r.overhead?.p95 ?? Infinity) <= 50),
  });
}

function clusterSection(results: BenchResults): ClusterRow[] {
  const cluster: ClusterResult | undefined = results.cluster;
  if (!cluster) return [];
  const rows: ClusterRow[] = [];
  const clusterRow = (scenario: string, unit: string, values: ClusterRow["values"]): ClusterRow => {
    const r: ClusterRow = { scenario, unit, values };
    const ratio = (a?: number | null, b?: number | null) => (a != null && b != null && b > 0 ? a / b : undefined);
    const two = ratio(values.cluster, values.postgres);
    const pg = ratio(values.postgres, values.level);
    if (two !== undefined) r.twoOverOne = two;
    if (pg !== undefined) r.postgresOverLevel = pg;
    return r;
  };
  for (const peers of new Set(cluster.fanout.map((f) => f.peers))) {
    const pick = (get: (f: ClusterFanoutRun) => number | undefined) =>
      Object.fromEntries(CLUSTER_SETUPS.map((s) => {
        const f = cluster.fanout.find((x) => x.setup === s && x.peers === peers);
        return [s, f && get(f)];
      })) as ClusterRow["values"];
    rows.push(clusterRow(`fan-out N=${peers}, every delivery p50`, "ms", pick((f) => f.deliveries.p50)));
    rows.push(clusterRow(`fan-out N=${peers}, every delivery p99`, "ms", pick((f) => f.deliveries.p99)));
    rows.push(clusterRow(`fan-out N=${peers}, last peer p50`, "ms", pick((f) => f.lastPeer.p50)));
    rows.push(clusterRow(`fan-out N=${peers}, last peer p99`, "ms", pick((f) => f.lastPeer.p99)));
    rows.push(clusterRow(`fan-out N=${peers}, peers on the other instance p50`, "ms", { level: null, postgres: null, cluster: pick((f) => f.crossInstance?.p50).cluster }));
    rows.push(clusterRow(`fan-out N=${peers}, peers on the other instance p99`, "ms", { level: null, postgres: null, cluster: pick((f) => f.crossInstance?.p99).cluster }));
    rows.push(clusterRow(`fan-out N=${peers}, JunoKit CPU per edit (all instances)`, "µs", pick((f) => f.serverCpuPerEditUs)));
    rows.push(clusterRow(`fan-out N=${peers}, Redis + PostgreSQL CPU per edit`, "µs", pick((f) => f.servicesCpuPerEditUs)));
  }
  const through = (get: (t: ClusterThroughput) => number) =>
    Object.fromEntries(CLUSTER_SETUPS.map((s) => {
      const t = cluster.throughput.find((x) => x.setup === s);
      return [s, t && get(t)];
    })) as ClusterRow["values"];
  const writers = results.sizes.cluster.conversations;
  rows.push(clusterRow(`throughput, ${writers} closed-loop writers: edits/s delivered`, "/s", through((t) => t.editsPerSecond)));
  rows.push(clusterRow("throughput, edit → its reader p50", "ms", through((t) => t.deliveries.p50)));
  rows.push(clusterRow("throughput, edit → its reader p99", "ms", through((t) => t.deliveries.p99)));
  rows.push(clusterRow("throughput, JunoKit CPU per edit (all instances)", "µs", through((t) => t.serverCpuPerEditUs)));
  rows.push(clusterRow("throughput, Redis + PostgreSQL CPU per edit", "µs", through((t) => t.servicesCpuPerEditUs)));
  return rows;
}

function kb(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : bytes / KB;
}

function fmt(v: number | null | undefined): string {
  if (v === null) return "n/a";
  if (v === undefined || Number.isNaN(v)) return "—";
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function fmtRatio(v: number | undefined): string {
  return v === undefined ? "" : `${v.toFixed(2)}×`;
}

/** A plain-text table, aligned for a terminal; also valid Markdown. */
function table(header: string[], body: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (i < 2 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...body.map(line)];
}

function renderClusterTable(results: BenchResults, rows: ClusterRow[]): string {
  const header = ["two instances vs one (issue 8)", "unit", ...CLUSTER_SETUPS.map((s) => SETUP_LABEL[s]), "2×/1× PostgreSQL", "PostgreSQL/LevelDB"];
  const body = rows.map((r) => [r.scenario, r.unit, ...CLUSTER_SETUPS.map((s) => fmt(r.values[s])), fmtRatio(r.twoOverOne), fmtRatio(r.postgresOverLevel)]);
  const out = table(header, body);
  const contended = [...(results.cluster?.fanout ?? []), ...(results.cluster?.throughput ?? [])].filter((f) => f.foreignLoad > 0.2);
  out.push(
    "",
    "Peers split across the instances (writer on the first). Redis + PostgreSQL CPU: every redis-server and postgres process on the machine, per process in 10 ms ticks (other users of them included, backends that exit meanwhile left out); not counted as other work." +
      (contended.length > 0 ? ` Contended (other work > 20% of the machine): ${contended.map((f) => `${SETUP_LABEL[f.setup]} ${"peers" in f ? `fan-out N=${f.peers}` : "throughput"} ${Math.round(100 * f.foreignLoad)}%`).join(", ")}.` : ""),
  );
  return out.join("\n");
}

export function renderReport(results: BenchResults, report: Report): string {
  const header = ["scenario", "unit", "raw ws", "bare Hocuspocus", "JunoKit", "JunoKit/bare", "bare/raw"];
  const body = report.rows.map((r) => [
    r.scenario, r.unit, fmt(r.values.raw), fmt(r.values.bare), fmt(r.values.junokit), fmtRatio(r.junoOverBare), fmtRatio(r.bareOverRaw),
  ]);
  const out = body.length > 0 ? table(header, body) : [];
  const ai = results.aiStreaming[0];
  if (ai) {
    const gaps = results.aiStreaming.map((r) => r.spacingMs);
    out.push(
      "",
      `AI stream: ${ai.tokens}-token replies, a token every ${results.sizes.ai.spacingMs} ms (median gap measured ${fmt(Math.min(...gaps))}–${fmt(Math.max(...gaps))} ms), ` +
        `${ai.replies} replies per row after a warm-up; raw ws = one frame per token, bare Hocuspocus = one transaction per token; peers in a process of their own, each frame dated when it reaches the socket.`,
    );
    const busy = results.aiStreaming.filter((r) => (r.foreignLoad ?? 0) > 0.2);
    if (busy.length > 0) out.push(`Contended AI stream runs (other work > 20% of the machine): ${busy.map((r) => `${r.target} N=${r.peers} ${Math.round(100 * r.foreignLoad!)}%`).join(", ")}.`);
  }
  for (const issue of [...new Set(report.goals.map((g) => g.issue))]) {
    out.push("", `Goals (issue ${issue}):`);
    for (const g of report.goals.filter((x) => x.issue === issue)) out.push(`  ${g.pass ? "PASS" : "FAIL"}  ${g.goal}: ${g.measured}`);
  }
  const contended = results.fanout.filter((f) => f.quietRounds < f.rounds);
  if (contended.length > 0) {
    out.push("", `Note: ${contended.map((f) => `${f.target} N=${f.peers} ${f.rounds - f.quietRounds}/${f.rounds}`).join(", ")} fan-out runs were contended (other work > 20% of the machine).`);
  }
  if (report.clusterRows.length > 0) out.push("", renderClusterTable(results, report.clusterRows));
  if (results.localModel) out.push("", renderLocalModel(results.localModel));
  if (results.browser) out.push("", renderBrowser(results.browser));
  if (results.offlineSearch) out.push("", renderOfflineSearch(results.offlineSearch));
  for (const e of results.errors) out.push(`ERROR in ${e.scenario} (${e.target}): ${e.error}`);
  const { commit, changedFiles } = results.source;
  out.push("", `mode ${results.mode} · ${(results.durationMs / 1000).toFixed(0)} s · ${results.machine.cpus} cores · Node ${results.machine.node} · code ${commit}${changedFiles > 0 ? ` + ${changedFiles} uncommitted server/doc-model changes` : ""}`);
  return out.join("\n");
}
