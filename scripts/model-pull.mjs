// `npm run model:pull`: downloads the recommended small instruct model into DATA_DIR/models,
// where the server finds it at the next start (SPEC LLM-8). Resumable (HTTP Range on the
// `.part` file), SHA-256 verified before the file gets its `.gguf` name, progress on stderr.
//
// The recommended model:
//   Qwen2.5-0.5B-Instruct, GGUF Q4_K_M, by the Qwen team (Alibaba Cloud)
//   licence: Apache-2.0 (https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/blob/main/LICENSE)
//   size:    491,400,032 bytes (469 MiB); about 0.6 GB of RAM with two 4k-token sequences
//   SHA-256: 74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db
//
// Overrides (a mirror, another model, tests):
//   MODEL_PULL_URL     download from here instead
//   MODEL_PULL_FILE    save under this name (default: the recommended file name)
//   MODEL_PULL_SHA256  expected checksum of that file (default: the recommended one)
// DATA_DIR comes from the environment or ./.env, as for the server (default ./data).
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, readFileSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { once } from "node:events";
import { parseEnv } from "node:util";

const RECOMMENDED = {
  name: "Qwen2.5-0.5B-Instruct (GGUF Q4_K_M, Apache-2.0, 469 MiB)",
  file: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
  url: "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf",
  sha256: "74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db",
};
const CONNECT_TIMEOUT_MS = 30_000;
const IDLE_TIMEOUT_MS = 60_000;

class PullError extends Error {}

function environment() {
  const file = resolve(".env");
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {};
  const env = { ...fromFile, ...process.env };
  // Empty means unset, as for the server.
  return (key) => (env[key] === "" ? undefined : env[key]);
}

function say(message) {
  process.stderr.write(`model:pull: ${message}\n`);
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

async function main() {
  const env = environment();
  const url = env("MODEL_PULL_URL") ?? RECOMMENDED.url;
  const file = env("MODEL_PULL_FILE") ?? RECOMMENDED.file;
  const expected = (env("MODEL_PULL_SHA256") ?? RECOMMENDED.sha256).toLowerCase();
  if (!file.toLowerCase().endsWith(".gguf") || /[\\/]/.test(file)) throw new PullError(`MODEL_PULL_FILE must be a plain file name ending in .gguf (got ${file})`);
  if (!/^[0-9a-f]{64}$/.test(expected)) throw new PullError("MODEL_PULL_SHA256 must be 64 hexadecimal characters");

  const dir = join(resolve(env("DATA_DIR") ?? "./data"), "models");
  const target = join(dir, file);
  const part = `${target}.part`;
  await mkdir(dir, { recursive: true });
  if (file === RECOMMENDED.file && !env("MODEL_PULL_URL")) say(`model: ${RECOMMENDED.name}`);

  if (existsSync(target)) {
    say(`${target} is already there; checking it…`);
    const actual = await sha256Of(target);
    if (actual !== expected) throw new PullError(`${target} exists but its SHA-256 is ${actual}, not ${expected}; remove it and run again`);
    say("it is complete and verified; nothing to do");
    return;
  }

  await download(url, part, expected);
  await rename(part, target);
  say(`saved ${target}`);
  say("start JunoKit (npm start) and the AI answers with this model; AI_THREADS sets its CPU threads");
}

/** Fetches `url` into `part`, continuing where an earlier run stopped, and checks the whole file. */
async function download(url, part, expected) {
  let offset = existsSync(part) ? (await stat(part)).size : 0;
  const response = await request(url, offset);
  if (response.status === 416 && offset > 0) {
    // Nothing left to fetch: the part already holds the whole file.
    await response.body?.cancel();
  } else {
    if (offset > 0 && response.status === 200) {
      say("the server does not resume downloads; starting over");
      offset = 0;
    } else if (offset > 0) {
      say(`resuming at ${mb(offset)}`);
    }
    const length = Number(response.headers.get("content-length"));
    const total = Number.isFinite(length) && length > 0 ? offset + length : undefined;
    await receive(response, part, offset, total, url);
  }
  say("verifying the SHA-256 checksum…");
  const actual = await sha256Of(part);
  if (actual !== expected) {
    await rm(part, { force: true });
    throw new PullError(`the download's SHA-256 is ${actual}, expected ${expected}; the file was removed (it is damaged or not the file we expect). Run again to download it afresh`);
  }
}

async function request(url, offset) {
  const host = hostOf(url);
  let response;
  try {
    response = await fetch(url, {
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      redirect: "follow",
      signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS),
    });
  } catch (err) {
    const code = causeCode(err) ?? (err?.name === "TimeoutError" ? "timed out" : err?.message);
    throw new PullError(
      `could not reach ${host} (${code}). Check the network connection (or a proxy: Node's fetch ignores HTTPS_PROXY), ` +
        `or download ${url} by other means and put it in DATA_DIR/models. Nothing was downloaded.`,
    );
  }
  if (response.ok || response.status === 416) {
    if (response.status === 206 && offset > 0 && !contentRangeStartsAt(response, offset)) {
      await response.body?.cancel();
      throw new PullError(`${host} answered the resume request with a different range; remove the .part file and run again`);
    }
    return response;
  }
  await response.body?.cancel();
  const hint = response.status === 401 || response.status === 403 ? " (the file needs a login or is not public)" : response.status === 404 ? " (no such file; check MODEL_PULL_URL)" : "";
  throw new PullError(`${host} answered HTTP ${response.status}${hint}`);
}

async function receive(response, part, offset, total, url) {
  const out = createWriteStream(part, { flags: offset > 0 ? "a" : "w" });
  const progress = progressBar(offset, total);
  let received = offset;
  let idle;
  const reader = response.body.getReader();
  const resetIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => void reader.cancel(new Error("no data for 60 s")), IDLE_TIMEOUT_MS);
  };
  try {
    resetIdle();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      resetIdle();
      received += value.length;
      progress(received);
      if (!out.write(value)) await once(out, "drain");
    }
    if (total !== undefined && received < total) throw new Error(`the connection closed after ${mb(received)} of ${mb(total)}`);
  } catch (err) {
    progress.done();
    out.end();
    await once(out, "close");
    throw new PullError(
      `the download from ${hostOf(url)} was interrupted after ${mb(received)}${total ? ` of ${mb(total)}` : ""} (${causeCode(err) ?? err?.message}). ` +
        "The part already received is kept: run `npm run model:pull` again to resume.",
    );
  } finally {
    clearTimeout(idle);
  }
  progress.done();
  out.end();
  await once(out, "close");
}

/** A bar on a terminal; on a pipe (CI logs) one line per 10 %. */
function progressBar(start, total) {
  const tty = process.stderr.isTTY;
  const began = Date.now();
  let shown = 0;
  let lastDecile = -1;
  const render = (received) => {
    const seconds = Math.max((Date.now() - began) / 1000, 0.001);
    const rate = (received - start) / seconds;
    if (!total) return `${mb(received)}  ${mb(rate)}/s`;
    const share = Math.min(received / total, 1);
    const width = 30;
    const filled = Math.round(share * width);
    const eta = rate > 0 ? Math.round((total - received) / rate) : 0;
    return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(share * 100).toFixed(1).padStart(5)}%  ${mb(received)} / ${mb(total)}  ${mb(rate)}/s  ETA ${eta}s`;
  };
  const update = (received) => {
    if (tty) {
      if (Date.now() - shown < 100) return;
      shown = Date.now();
      process.stderr.write(`\r${render(received)}`);
      return;
    }
    const decile = total ? Math.floor((received / total) * 10) : Math.floor(received / 50e6);
    if (decile === lastDecile) return;
    lastDecile = decile;
    process.stderr.write(`model:pull: ${render(received)}\n`);
  };
  update.done = () => {
    if (tty && shown) process.stderr.write("\n");
  };
  return update;
}

async function sha256Of(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("hex");
}

function contentRangeStartsAt(response, offset) {
  const range = response.headers.get("content-range") ?? "";
  return new RegExp(`^bytes ${offset}-`).test(range);
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    throw new PullError(`MODEL_PULL_URL is not a URL: ${url}`);
  }
}

function causeCode(err) {
  let cause = err;
  for (let depth = 0; cause && depth < 5; depth++) {
    if (typeof cause.code === "string") return cause.code;
    cause = cause.cause;
  }
  return undefined;
}

main().catch((err) => {
  if (err instanceof PullError) say(err.message);
  else say(`failed: ${err?.stack ?? err}`);
  process.exit(1);
});
