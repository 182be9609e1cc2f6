// The benchmark of issue 2 (DESIGN.md §8): edit fan-out, cold load, memory and ack → disk,
// each against a raw ws server, a bare Hocuspocus server and JunoKit, run by `npm run bench`.
export { runBench, FULL, QUICK, TINY, type BenchResults, type BenchSizes, type BenchOptions } from "./suite";
export { buildReport, renderReport, type Report, type Row, type Goal } from "./report";
export { writeResults } from "./results";
export { TARGETS, TARGET_LABEL, type TargetKind } from "./protocol";
