import type { Llama, LlamaLogLevel, LlamaModel } from "node-llama-cpp";
import type { Logger } from "../log";

type NodeLlamaCpp = typeof import("node-llama-cpp");
let library: Promise<NodeLlamaCpp> | undefined;

/** node-llama-cpp takes ~0.4 s to import, so only a server that has a model file pays for it. */
export function nodeLlamaCpp(): Promise<NodeLlamaCpp> {
  return (library ??= import("node-llama-cpp"));
}

// One llama.cpp runtime per process (SPEC LLM-3): `getLlama` costs ~0.5 s and is not cached by
// the library, and its native logger is global anyway. Several providers in one process (tests
// start several servers) share it; each adds its pino logger as a sink while it is open.

type Sink = (level: LlamaLogLevel, message: string) => void;

const sinks = new Set<Sink>();
let runtime: Promise<Llama> | undefined;
/** Loads run one at a time, so the llama.cpp lines that explain a failure belong to it. */
let loading: Promise<unknown> = Promise.resolve();

// After a failed load, llama.cpp's explanation can arrive a few event-loop turns later.
const REASON_WAIT_MS = 1000;

/**
 * The process's llama.cpp: the prebuilt CPU binary that ships in node_modules, never a build
 * or a download at run time. `threads` caps every context; a later, larger value raises the cap.
 */
export async function llamaRuntime(threads: number): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await nodeLlamaCpp();
  runtime ??= getLlama({
    gpu: false,
    build: "never",
    skipDownload: true,
    // The default (max(cores, 4)) oversubscribes small machines and slows generation 50×.
    maxThreads: threads,
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => sinks.forEach((sink) => sink(level, message)),
  }).catch((err: unknown) => {
    runtime = undefined;
    throw err;
  });
  const llama = await runtime;
  if (llama.maxThreads < threads) llama.maxThreads = threads;
  return llama;
}

/** Routes llama.cpp's log lines into `logger` until the returned function is called. */
export function routeLlamaLog(logger: Logger): () => void {
  const sink: Sink = (level, message) => {
    const text = message.trim();
    if (!text) return;
    const severity = `${level}`;
    if (severity === "fatal") logger.fatal({ source: "llama.cpp" }, text);
    else if (severity === "error") logger.error({ source: "llama.cpp" }, text);
    else if (severity === "warn") logger.warn({ source: "llama.cpp" }, text);
    else logger.debug({ source: "llama.cpp" }, text);
  };
  sinks.add(sink);
  return () => sinks.delete(sink);
}

/** The model file could not be used; `reason` is the most specific explanation we have. */
export class ModelLoadError extends Error {
  constructor(
    readonly modelPath: string,
    readonly reason: string,
  ) {
    super(`the local model ${modelPath} cannot be loaded: ${reason}`);
    this.name = "ModelLoadError";
  }
}

/**
 * Loads a GGUF file. llama.cpp reports most failures as a bare "Failed to load model" and
 * writes the reason ("tensor … is not within the file bounds", "unknown model architecture")
 * only to its log, so the log is captured during the load and its last error becomes the reason.
 */
export function loadModelFile(llama: Llama, modelPath: string): Promise<LlamaModel> {
  const attempt = loading.then(async () => {
    const errors: string[] = [];
    let heard: (() => void) | undefined;
    const listen: Sink = (level, message) => {
      if (`${level}` !== "error" && `${level}` !== "fatal") return;
      errors.push(message.trim());
      heard?.();
    };
    sinks.add(listen);
    try {
      return await llama.loadModel({ modelPath });
    } catch (err) {
      // Only the native loader's bare failure has its reason in the log still to come.
      if (errors.length === 0 && /failed to load model/i.test((err as Error).message)) {
        await waitFor((resolve) => (heard = resolve), REASON_WAIT_MS);
      }
      throw new ModelLoadError(modelPath, reasonOf(err, errors));
    } finally {
      sinks.delete(listen);
    }
  });
  loading = attempt.catch(() => undefined);
  return attempt;
}

function reasonOf(err: unknown, errors: string[]): string {
  // The first llama.cpp error names the cause; later ones only say that loading failed.
  const specific = errors.find((line) => !/failed to load model\s*$/i.test(line)) ?? errors[0];
  if (specific) return specific.replace(/^llama_model_load:\s*(error loading model:\s*)?/, "");
  const code = (err as { code?: unknown }).code;
  if (code === "ENOENT") return "the file does not exist";
  if (code === "EACCES") return "the file is not readable by this process";
  if (code === "EISDIR") return "it is a directory, not a .gguf file";
  return (err as Error).message || String(err);
}

function waitFor(arm: (resolve: () => void) => void, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    arm(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
