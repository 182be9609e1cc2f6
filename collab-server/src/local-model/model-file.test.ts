import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findLocalModel } from "./model-file";

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "junokit-models-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("findLocalModel", () => {
  it("LLM-1 picks the first .gguf in DATA_DIR/models by name, never a partial download", async () => {
    const dir = await dataDir();
    await mkdir(join(dir, "models"));
    await writeFile(join(dir, "models", "a-model.gguf.part"), "partial");
    await writeFile(join(dir, "models", "notes.txt"), "x");
    await writeFile(join(dir, "models", "zeta.gguf"), "x");
    await writeFile(join(dir, "models", "Beta.GGUF"), "x");
    await mkdir(join(dir, "models", "alpha.gguf"));
    expect(await findLocalModel(dir)).toBe(join(dir, "models", "Beta.GGUF"));
  });

  it("LLM-1 is undefined when the folder is missing or holds no model", async () => {
    const dir = await dataDir();
    expect(await findLocalModel(dir)).toBeUndefined();
    await mkdir(join(dir, "models"));
    await writeFile(join(dir, "models", "model.gguf.part"), "partial");
    expect(await findLocalModel(dir)).toBeUndefined();
  });
});
