import { readdir } from "node:fs/promises";
import { join } from "node:path";

/** Where `npm run model:pull` puts models and where the server looks for one (DESIGN.md §2). */
export function modelsDir(dataDir: string): string {
  return join(dataDir, "models");
}

/**
 * The first `.gguf` file in `DATA_DIR/models` by name, or undefined (SPEC LLM-1). Partial
 * downloads end in `.part` and are never picked.
 */
export async function findLocalModel(dataDir: string): Promise<string | undefined> {
  const dir = modelsDir(dataDir);
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT" || err.code === "ENOTDIR") return [];
    throw err;
  });
  const names = entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.toLowerCase().endsWith(".gguf"))
    .map((entry) => entry.name)
    .sort();
  return names[0] === undefined ? undefined : join(dir, names[0]);
}
