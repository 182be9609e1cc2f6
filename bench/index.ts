// The benchmark (DESIGN.md §8), run by `npm run bench`: edit fan-out, cold load, memory, ack → disk
// and AI streaming, each against a raw ws server, a bare Hocuspocus server and JunoKit; two JunoKit
// instances against one; the embedded local model against node-llama-cpp.
export { runBench, FULL, QUICK, TINY, SCENARIOS, type BenchResults, type BenchSizes, type BenchOptions, type Scenario } from "./suite";
export { buildReport, renderReport, type Report, type Row, type ClusterRow, type Goal } from "./report";
export { writeResults } from "./results";
export { TARGETS, TARGET_LABEL, type TargetKind } from "./protocol";
