// The local model through the real native path (node-llama-cpp + llama.cpp's CPU build) on
// tiny GGUF files the test writes itself. One thread, as on the shared 2-core CI box.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AiFailure } from "../../src/ai";
import { ModelLoadError, openConfiguredLocalModel, openLocalModelProvider, type LocalModelProvider } from "../../src/local-model";
import { TINY_REPLY } from "../support/tiny-gguf";
import { capturingLogger, read, writeTinyModels, type TinyModels } from "./local-support";

let models: TinyModels;
let scripted: LocalModelProvider;
let looping: LocalModelProvider;
const log = capturingLogger();

beforeAll(async () => {
  models = await writeTinyModels();
  scripted = await openLocalModelProvider({ modelPath: models.eos, threads: 1, logger: log.logger });
  looping = await openLocalModelProvider({ modelPath: models.loop, threads: 1, sequences: 2, logger: log.logger });
});
afterAll(async () => {
  await scripted?.close();
  await looping?.close();
  await models?.remove();
});

describe("local model provider: streaming", () => {
  it("LLM-4 streams the exact reply in several content deltas and names the model file", async () => {
    const reader = read(scripted);
    await reader.done;
    expect(reader.text()).toBe(TINY_REPLY);
    expect(reader.deltas.length).toBeGreaterThan(3);
    expect(reader.deltas.every((d) => d.content && !d.reasoning)).toBe(true);
    expect(scripted.describe()).toEqual({ model: "tiny-eos.gguf", available: true });
  });

  it("LLM-9 resolves the chat template from the file once, at load", async () => {
    const loaded = log.entries.filter((e) => e.msg === "local model loaded" && e.model === "tiny-eos.gguf");
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toMatchObject({ chatWrapper: "ChatML", threads: 1, sequences: 2 });
    await read(scripted).done;
    expect(log.entries.filter((e) => e.msg === "local model loaded" && e.model === "tiny-eos.gguf")).toHaveLength(1);
  });

  it("LLM-5 an abort ends a never-ending reply quietly and the sequence serves the next prompt", async () => {
    const single = await openLocalModelProvider({ modelPath: models.loop, threads: 1, sequences: 1, logger: log.logger });
    try {
      const reader = read(single);
      await reader.atLeast(20);
      const atStop = reader.deltas.length;
      reader.controller.abort(new Error("stopped"));
      await reader.done;
      expect(reader.deltas).toHaveLength(atStop);
      expect(reader.text().startsWith("Hello from the tiny test model. Hello")).toBe(true);

      const again = read(single);
      await again.atLeast(7);
      again.controller.abort();
      await again.done;
      expect(again.text().startsWith(TINY_REPLY)).toBe(true);
      expect(single.load()).toEqual({ busy: 0, waiting: 0, sequences: 1 });
    } finally {
      await single.close();
    }
  });

  it("LLM-7 a reply over AI_MAX_TOKENS fails as cut off, like the endpoint's finish_reason length", async () => {
    const capped = await openLocalModelProvider({ modelPath: models.loop, threads: 1, sequences: 1, maxTokens: 5, logger: log.logger });
    try {
      const reader = read(capped);
      const failure = await reader.done.then(() => undefined, (err: unknown) => err);
      expect(failure).toBeInstanceOf(AiFailure);
      expect(failure).toMatchObject({ kind: "cut-off" });
      expect((failure as Error).message).toContain("token limit (5, AI_MAX_TOKENS)");
      expect(reader.text()).toBe("Hello from the tiny test");
    } finally {
      await capped.close();
    }
  });
});

describe("local model provider: parallel sequences and the queue", () => {
  it("LLM-6 two replies generate at the same time on two sequences", async () => {
    const a = read(looping);
    const b = read(looping);
    await Promise.all([a.atLeast(30), b.atLeast(30)]);
    // Both are still running: neither waited for the other to finish.
    expect(looping.load()).toEqual({ busy: 2, waiting: 0, sequences: 2 });
    a.controller.abort();
    b.controller.abort();
    await Promise.all([a.done, b.done]);
    expect(looping.load().busy).toBe(0);
  });

  it("LLM-6 a third request waits until a sequence is free, then streams; an aborted waiter leaves the queue", async () => {
    const a = read(looping);
    const b = read(looping);
    await Promise.all([a.atLeast(5), b.atLeast(5)]);
    // A stream asks for its sequence as soon as it is read, so both wait from here on.
    const c = read(looping);
    const gone = read(looping);
    expect(looping.load().waiting).toBe(2);
    gone.controller.abort();
    await gone.done;
    expect(gone.deltas).toHaveLength(0);
    expect(looping.load()).toEqual({ busy: 2, waiting: 1, sequences: 2 });

    await a.atLeast(a.deltas.length + 20);
    expect(c.deltas).toHaveLength(0);
    a.controller.abort();
    await a.done;
    await c.atLeast(10);
    expect(c.text().startsWith(TINY_REPLY)).toBe(true);
    b.controller.abort();
    c.controller.abort();
    await Promise.all([b.done, c.done]);
    expect(looping.load()).toEqual({ busy: 0, waiting: 0, sequences: 2 });
  });
});

describe("local model provider: files that cannot be used", () => {
  it.each([
    ["missing", "the file does not exist"],
    ["truncated", "not within the file bounds"],
    ["garbage", "Invalid GGUF magic"],
  ] as const)("LLM-2 a %s file is refused with the file and the reason", async (which, reason) => {
    const path = models[which];
    const failure = await openLocalModelProvider({ modelPath: path, threads: 1, logger: log.logger }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ModelLoadError);
    expect((failure as ModelLoadError).modelPath).toBe(path);
    expect((failure as ModelLoadError).reason).toContain(reason);
    expect((failure as Error).message).toContain(path);
  });

  it("LLM-2 LLM-3 the configured path logs one error naming the file and reason; llama.cpp's own lines reach the log", async () => {
    const { logger, entries } = capturingLogger();
    const provider = await openConfiguredLocalModel(
      { modelPath: models.truncated, dataDir: models.dir, threads: 1, maxTokens: undefined, promptTokens: 1000 },
      logger,
    );
    expect(provider).toBeUndefined();
    const errors = entries.filter((e) => e.level === 50 && e.component === "local-model" && e.modelPath === models.truncated);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toContain(models.truncated);
    expect(errors[0]!.reason).toContain("not within the file bounds");
    expect(entries.some((e) => e.source === "llama.cpp" && e.level === 50 && e.msg.includes("not within the file bounds"))).toBe(true);
  });

  it("LLM-1 with no AI_MODEL_PATH the first .gguf in DATA_DIR/models answers; no file means no provider", async () => {
    const { logger, entries } = capturingLogger();
    const settings = { modelPath: undefined, dataDir: join(models.dir, "data"), threads: 1, maxTokens: undefined, promptTokens: 1000 };
    expect(await openConfiguredLocalModel(settings, logger)).toBeUndefined();
    expect(entries.some((e) => e.level === 50)).toBe(false);

    await mkdir(join(settings.dataDir, "models"), { recursive: true });
    await copyFile(models.eos, join(settings.dataDir, "models", "b-model.gguf"));
    await writeFile(join(settings.dataDir, "models", "a-model.gguf.part"), "half a download");
    const found = await openConfiguredLocalModel(settings, logger);
    try {
      expect(found?.describe().model).toBe("b-model.gguf");
      const reader = read(found!);
      await reader.done;
      expect(reader.text()).toBe(TINY_REPLY);
    } finally {
      await found?.close();
    }
  });
});
