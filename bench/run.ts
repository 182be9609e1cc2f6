// `npm run bench`: runs the suite, prints the table and the goals on stdout, progress on
// stderr, and writes bench/results/latest.json. BENCH_QUICK=1 for a fast smoke-sized run;
// BENCH_PROFILE=1 writes V8 CPU profiles of the servers to bench/results/profiles;
// BENCH_ONLY=ai,cluster runs only those scenario groups (fanout, load, memory, ai, cluster, local-model, browser, offline-search).
import { fileURLToPath } from "node:url";
import { writeResults } from "./results";
import { buildReport, renderReport } from "./report";
import { FULL, QUICK, runBench, SCENARIOS, type Scenario } from "./suite";

const RESULTS_DIR = fileURLToPath(new URL("./results", import.meta.url));

async function main(): Promise<void> {
  const quick = process.env.BENCH_QUICK === "1";
  const profile = process.env.BENCH_PROFILE === "1";
  const only = onlyScenarios(process.env.BENCH_ONLY);
  const began = Date.now();
  const progress = (message: string) => process.stderr.write(`[bench ${((Date.now() - began) / 1000).toFixed(1)}s] ${message}\n`);
  const base = quick ? QUICK : FULL;
  // BENCH_AI_PEERS=100 (or 1,10): only these peer counts in the AI streaming scenario.
  const aiPeers = process.env.BENCH_AI_PEERS?.split(",").map(Number).filter((n) => n > 0);
  const sizes = aiPeers?.length ? { ...base, ai: { ...base.ai, peers: aiPeers } } : base;
  const results = await runBench({
    sizes,
    mode: quick ? "quick" : "full",
    progress,
    ...(profile ? { profileDir: `${RESULTS_DIR}/profiles` } : {}),
    ...(only ? { only } : {}),
  });
  const report = buildReport(results);
  // A BENCH_ONLY run never replaces the last whole run's record.
  const file = await writeResults(`${RESULTS_DIR}/${only ? "latest-partial" : "latest"}.json`, results, report);
  process.stdout.write(`${renderReport(results, report)}\n`);
  progress(`results written to ${file}`);
  process.exitCode = results.errors.length > 0 ? 1 : 0;
}

function onlyScenarios(value: string | undefined): Scenario[] | undefined {
  if (!value) return undefined;
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown scenario ${unknown.join(", ")}; choose from ${SCENARIOS.join(", ")}`);
  return names as Scenario[];
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
