// Turns results into the printed table (scenario × target, with ratios) and the goals of
// issue 2 with pass/fail marks; the same rows go into the JSON file.
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

export interface Goal {
  goal: string;
  measured: string;
  pass: boolean;
}

export interface Report {
  rows: Row[];
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
        goal: `fan-out N=${peers} ${name} ≤ 1.3× bare Hocuspocus`,
        measured: `${fmtRatio(r.junoOverBare)}${lost ? `, ${lost} deliveries lost` : ""}${unequal}`,
        pass: r.junoOverBare <= 1.3 && lost === 0,
      });
    }
  }

  const load = (kind: TargetKind) => results.load.find((l) => l.target === kind);
  const messages = results.load[0]?.messages ?? 0;
  rows.push(row(`cold load ${messages} msgs, connect → synced p50`, "ms", { raw: null, bare: load("bare")?.cold.p50, junokit: load("junokit")?.cold.p50 }));
  rows.push(row(`cold load ${messages} msgs, max of runs`, "ms", { raw: null, bare: load("bare")?.cold.max, junokit: load("junokit")?.cold.max }));
  rows.push(row(`warm load ${messages} msgs (doc in memory) p50`, "ms", { raw: null, bare: load("bare")?.warm.p50, junokit: load("junokit")?.warm.p50 }));

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
      goal: `memory per ${name} ≤ 1.2× bare Hocuspocus (RSS and heap)`,
      measured: `RSS ${show(rss.junoOverBare)}, heap ${show(heap.junoOverBare)}`,
      pass: [rss.junoOverBare, heap.junoOverBare].every((r) => r !== undefined && r <= 1.2),
    });
  }

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
      goal: "durable within 500 ms of the ack (worst case)",
      measured: `max ${fmt(disk.max)} ms, p99 ${fmt(disk.p99)} ms; ${juno.visibleAtAck}/${juno.edits} in the store at ack; ${juno.missing} never stored`,
      pass: disk.max <= 500 && juno.visibleAtAck === juno.edits && juno.missing === 0,
    });
  }
  return { rows, goals };
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
export function renderReport(results: BenchResults, report: Report): string {
  const header = ["scenario", "unit", "raw ws", "bare Hocuspocus", "JunoKit", "JunoKit/bare", "bare/raw"];
  const body = report.rows.map((r) => [
    r.scenario, r.unit, fmt(r.values.raw), fmt(r.values.bare), fmt(r.values.junokit), fmtRatio(r.junoOverBare), fmtRatio(r.bareOverRaw),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const out = [line(header), `|${widths.map((w, i) => (i < 2 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...body.map(line)];
  out.push("", "Goals (issue 2):");
  for (const g of report.goals) out.push(`  ${g.pass ? "PASS" : "FAIL"}  ${g.goal}: ${g.measured}`);
  const contended = results.fanout.filter((f) => f.quietRounds < f.rounds);
  if (contended.length > 0) {
    out.push("", `Note: ${contended.map((f) => `${f.target} N=${f.peers} ${f.rounds - f.quietRounds}/${f.rounds}`).join(", ")} fan-out runs were contended (other work > 20% of the machine).`);
  }
  for (const e of results.errors) out.push(`ERROR in ${e.scenario} (${e.target}): ${e.error}`);
  const { commit, changedFiles } = results.source;
  out.push("", `mode ${results.mode} · ${(results.durationMs / 1000).toFixed(0)} s · ${results.machine.cpus} cores · Node ${results.machine.node} · code ${commit}${changedFiles > 0 ? ` + ${changedFiles} uncommitted server/doc-model changes` : ""}`);
  return out.join("\n");
}
