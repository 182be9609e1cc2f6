// The JSON record of one run: every figure, every fan-out round, the table rows (both tables)
// and the goals.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Report } from "./report";
import type { BenchResults } from "./suite";

export async function writeResults(file: string, results: BenchResults, report: Report): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ ...results, table: report.rows, clusterTable: report.clusterRows, goals: report.goals }, null, 2)}\n`);
  return file;
}
