import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildReport, renderReport, runBench, TARGETS, TINY, writeResults } from "./index";

describe("bench harness (tiny sizes)", () => {
  it("runs every scenario against every target, loses nothing, and reports each goal", async () => {
    const results = await runBench({ sizes: TINY, mode: "tiny", progress: () => {} });
    expect(results.errors).toEqual([]);

    for (const target of TARGETS) {
      const fanout = results.fanout.find((f) => f.target === target && f.peers === TINY.fanout.peers[0]);
      expect(fanout?.lost, `${target} fan-out`).toBe(0);
      expect(fanout?.deliveries.count).toBe(TINY.fanout.edits * TINY.fanout.peers[0]!);
      expect(fanout?.deliveries.p50).toBeGreaterThan(0);
      expect(results.memoryPerConnection.find((m) => m.target === target)?.count).toBe(TINY.memory.connections);
      expect(results.memoryPerDocument.find((m) => m.target === target)?.count).toBe(TINY.memory.documents);
    }
    for (const target of ["bare", "junokit"] as const) {
      const load = results.load.find((l) => l.target === target);
      expect(load?.cold.count).toBe(TINY.load.runs);
      expect(load?.cold.p50).toBeGreaterThan(0);
    }
    const durable = results.durability.find((d) => d.target === "junokit");
    expect(durable?.visibleAtAck).toBe(TINY.durability.edits);
    expect(durable?.missing).toBe(0);
    expect(durable?.diskMinusAck?.count).toBe(TINY.durability.edits);

    const report = buildReport(results);
    expect(report.goals.map((g) => g.goal)).toEqual([
      "fan-out N=3 p50 ≤ 1.3× bare Hocuspocus",
      "fan-out N=3 p99 ≤ 1.3× bare Hocuspocus",
      "memory per connection ≤ 1.2× bare Hocuspocus (RSS and heap)",
      "memory per document ≤ 1.2× bare Hocuspocus (RSS and heap)",
      "durable within 500 ms of the ack (worst case)",
    ]);
    expect(renderReport(results, report)).toContain("| fan-out N=3, every delivery p50");

    const dir = await mkdtemp(join(tmpdir(), "junokit-bench-smoke-"));
    try {
      const file = await writeResults(join(dir, "latest.json"), results, report);
      const written = JSON.parse(await readFile(file, "utf8"));
      expect(written.goals).toHaveLength(report.goals.length);
      expect(written.table).toHaveLength(report.rows.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
