// `npm run model:pull` as its own process: no network, a dropped connection resumed with an
// HTTP Range request, and a checksum mismatch. A local HTTP server stands in for Hugging Face
// and serves a tiny GGUF written by the test.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLocalModel } from "../../src/local-model";
import { tempDataDir } from "../support/server";
import { buildTinyModel } from "../support/tiny-gguf";

const SCRIPT = fileURLToPath(new URL("../../../scripts/model-pull.mjs", import.meta.url));
const model = buildTinyModel();
const sha256 = createHash("sha256").update(model).digest("hex");
const dirs: string[] = [];

interface Pull {
  code: number | null;
  stderr: string;
}

function pull(dataDir: string, env: Record<string, string>): Promise<Pull> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], {
      cwd: dataDir,
      env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, MODEL_PULL_FILE: "tiny.gguf", MODEL_PULL_SHA256: sha256, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

async function dataDir(): Promise<string> {
  const dir = await tempDataDir();
  dirs.push(dir);
  return dir;
}

/** Serves `model`; with `cutAt`, the first full request is cut after that many bytes, as a dropped connection. */
function fileServer(cutAt?: number) {
  const requests: { range: string | undefined }[] = [];
  let cut = false;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const range = req.headers.range;
    requests.push({ range });
    const start = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1]) : 0;
    if (start >= model.length) {
      res.writeHead(416, { "content-range": `bytes */${model.length}` }).end();
      return;
    }
    const body = model.subarray(start);
    const headers = { "content-type": "application/octet-stream", "content-length": String(body.length), "accept-ranges": "bytes" };
    if (range) res.writeHead(206, { ...headers, "content-range": `bytes ${start}-${model.length - 1}/${model.length}` });
    else res.writeHead(200, headers);
    if (cutAt !== undefined && !cut && !range) {
      cut = true;
      res.write(body.subarray(0, cutAt), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  });
  return {
    requests,
    listen: () => new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/qwen.gguf`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("npm run model:pull", () => {
  it("LLM-8 without a network it fails with a clear message, exit 1, and leaves no file", async () => {
    const closed = createServer();
    const port = await new Promise<number>((resolve) => closed.listen(0, "127.0.0.1", () => resolve((closed.address() as AddressInfo).port)));
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dir = await dataDir();

    const result = await pull(dir, { MODEL_PULL_URL: `http://127.0.0.1:${port}/model.gguf` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not reach 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(result.stderr).toContain("Nothing was downloaded");
    expect(await readdir(join(dir, "models"))).toEqual([]);
  });

  describe("against a file server", () => {
    const server = fileServer(100_000);
    const whole = fileServer();
    let url: string;
    let wholeUrl: string;
    beforeAll(async () => {
      url = await server.listen();
      wholeUrl = await whole.listen();
    });
    afterAll(() => Promise.all([server.close(), whole.close()]));

    it("LLM-8 a dropped download is kept, resumed with Range, verified, then named .gguf and found by the server", async () => {
      const dir = await dataDir();
      const part = join(dir, "models", "tiny.gguf.part");

      const first = await pull(dir, { MODEL_PULL_URL: url });
      expect(first.code).toBe(1);
      expect(first.stderr).toContain("was interrupted after");
      expect(first.stderr).toContain("run `npm run model:pull` again to resume");
      const kept = (await stat(part)).size;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(model.length);
      expect(await findLocalModel(dir)).toBeUndefined();

      const second = await pull(dir, { MODEL_PULL_URL: url });
      expect(second.code, second.stderr).toBe(0);
      expect(server.requests.at(-1)).toEqual({ range: `bytes=${kept}-` });
      expect(second.stderr).toContain(`resuming at`);
      const saved = join(dir, "models", "tiny.gguf");
      expect(Buffer.compare(await readFile(saved), Buffer.from(model))).toBe(0);
      expect(existsSync(part)).toBe(false);
      expect(await findLocalModel(dir)).toBe(saved);

      const again = await pull(dir, { MODEL_PULL_URL: url });
      expect(again.code).toBe(0);
      expect(again.stderr).toContain("already there");
    });

    it("LLM-8 a checksum mismatch removes the download and fails", async () => {
      const dir = await dataDir();
      const result = await pull(dir, { MODEL_PULL_URL: wholeUrl, MODEL_PULL_SHA256: "0".repeat(64) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`SHA-256 is ${sha256}, expected ${"0".repeat(64)}`);
      expect(await readdir(join(dir, "models"))).toEqual([]);
    });
  });
});
