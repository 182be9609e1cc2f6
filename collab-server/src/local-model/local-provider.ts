import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { ChatWrapper, LlamaChat, LlamaContextSequence } from "node-llama-cpp";
import { AiFailure, type AiDelta, type AiProvider, type CompletionRequest } from "../ai";
import type { Logger } from "../log";
import { promptKey, toChatHistory } from "./chat-history";
import { llamaRuntime, loadModelFile, ModelLoadError, nodeLlamaCpp, routeLlamaLog } from "./runtime";
import { SequencePool } from "./sequence-pool";

export interface LocalModelOptions {
  /** A GGUF file. */
  modelPath: string;
  /** CPU threads for generation (AI_THREADS). */
  threads: number;
  /** Tokens each sequence can hold, prompt and reply together; capped at what the model was trained on. Default 4096. */
  contextSize?: number;
  /** Replies generated at once; more requests wait for a free sequence. Default 2. */
  sequences?: number;
  /** The longest reply in tokens (AI_MAX_TOKENS); a longer one fails as cut off. Default 2048. */
  maxTokens?: number;
  logger: Logger;
}

export interface LocalModelProvider extends AiProvider {
  readonly modelPath: string;
  /** Sequences generating now and requests waiting for one (tests and the benchmark read it). */
  load(): { busy: number; waiting: number; sequences: number };
  /** Ends waiting requests, lets running ones finish their abort, frees the model. */
  close(): Promise<void>;
}

const DEFAULT_CONTEXT = 4096;
const DEFAULT_SEQUENCES = 2;
export const DEFAULT_MAX_TOKENS = 2048;
// Small instruct models loop at temperature 0 and ramble at 1; these are Qwen's own defaults.
const SAMPLING = { temperature: 0.7, topP: 0.8, topK: 20, repeatPenalty: { penalty: 1.05 } };

/**
 * A GGUF model run inside this process (SPEC LLM-*), behind the same seam as the
 * OpenAI-compatible endpoint: the AI peer's batching, queue, personas and context apply as is.
 * Rejects with `ModelLoadError` (file named, reason given) when the file cannot be used.
 */
export async function openLocalModelProvider(options: LocalModelOptions): Promise<LocalModelProvider> {
  const modelPath = resolve(options.modelPath);
  const logger = options.logger.child({ component: "local-model", model: basename(modelPath) });
  await checkFile(modelPath);
  const unroute = routeLlamaLog(logger);
  try {
    const started = performance.now();
    const { LlamaChat, resolveChatWrapper } = await nodeLlamaCpp();
    const llama = await llamaRuntime(options.threads);
    const model = await loadModelFile(llama, modelPath);
    const contextSize = Math.min(options.contextSize ?? DEFAULT_CONTEXT, model.trainContextSize);
    const sequences = options.sequences ?? DEFAULT_SEQUENCES;
    const context = await model.createContext({ contextSize, sequences, threads: options.threads }).catch(async (err: unknown) => {
      await model.dispose();
      throw new ModelLoadError(modelPath, `no memory for ${sequences} × ${contextSize} tokens of context (${(err as Error).message})`);
    });
    // Resolved once: the template analysis costs ~0.3 s, far too much per reply.
    const chatWrapper = resolveChatWrapper(model);
    const pool = new SequencePool<LlamaContextSequence>(Array.from({ length: sequences }, () => context.getSequence()));
    logger.info(
      { modelPath, chatWrapper: chatWrapper.wrapperName, contextSize: context.contextSize, sequences, threads: options.threads, ms: Math.round(performance.now() - started) },
      "local model loaded",
    );
    return createProvider({ modelPath, pool, chatWrapper, LlamaChat, maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS, logger, dispose: async () => {
      await context.dispose();
      await model.dispose();
      unroute();
    } });
  } catch (err) {
    unroute();
    throw err;
  }
}

async function checkFile(modelPath: string): Promise<void> {
  const info = await stat(modelPath).catch((err: NodeJS.ErrnoException) => {
    throw new ModelLoadError(modelPath, err.code === "ENOENT" ? "the file does not exist" : `it cannot be read (${err.code ?? err.message})`);
  });
  if (!info.isFile()) throw new ModelLoadError(modelPath, "it is not a file");
}

interface Parts {
  modelPath: string;
  pool: SequencePool<LlamaContextSequence>;
  chatWrapper: ChatWrapper;
  LlamaChat: typeof LlamaChat;
  maxTokens: number;
  logger: Logger;
  dispose(): Promise<void>;
}

function createProvider(parts: Parts): LocalModelProvider {
  const { pool, modelPath, logger } = parts;
  const model = basename(modelPath);
  const running = new Set<Generation>();
  let closing: Promise<void> | undefined;

  return {
    modelPath,
    describe: () => ({ model, available: true }),
    load: () => ({ busy: pool.busy, waiting: pool.waiting, sequences: pool.size }),

    async *stream(request: CompletionRequest): AsyncGenerator<AiDelta> {
      if (closing) throw new AiFailure("The local model is shutting down.", "unreachable");
      let lease;
      try {
        lease = await pool.acquire(promptKey(request.messages), request.signal);
      } catch (err) {
        if (request.signal.aborted) return;
        throw err instanceof AiFailure ? err : new AiFailure("The local model is shutting down.", "unreachable");
      }
      const generation = generate(lease.item, request, parts);
      running.add(generation);
      try {
        for await (const delta of generation.deltas) {
          // Tokens already generated when Stop came are dropped, not written.
          if (request.signal.aborted) break;
          yield delta;
        }
      } finally {
        // The sequence is reused only once llama.cpp has stopped writing to it.
        generation.stop();
        await generation.done;
        running.delete(generation);
        lease.release();
      }
    },

    close: () =>
      (closing ??= (async () => {
        pool.close(new AiFailure("The local model is shutting down.", "unreachable"));
        for (const generation of running) generation.stop();
        await Promise.all([...running].map((generation) => generation.done));
        await parts.dispose();
        logger.info("local model closed");
      })()),
  };
}

interface Generation {
  deltas: AsyncIterable<AiDelta>;
  /** Aborts generation (a no-op once it ended). */
  stop(): void;
  /** Settles when llama.cpp is done with the sequence; never rejects. */
  done: Promise<unknown>;
}

/** Runs one reply on `sequence`, turning node-llama-cpp's callbacks into a stream of deltas. */
function generate(sequence: LlamaContextSequence, request: CompletionRequest, parts: Parts): Generation {
  const inner = new AbortController();
  const onAbort = () => inner.abort(request.signal.reason);
  if (request.signal.aborted) onAbort();
  else request.signal.addEventListener("abort", onAbort, { once: true });
  const channel = new Channel<AiDelta>();
  const chat = new parts.LlamaChat({ contextSequence: sequence, chatWrapper: parts.chatWrapper, autoDisposeSequence: false });

  const done = chat
    .generateResponse(toChatHistory(request.messages), {
      ...SAMPLING,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      maxTokens: parts.maxTokens,
      signal: inner.signal,
      stopOnAbortSignal: true,
      onResponseChunk: (chunk) => {
        if (!chunk.text) return;
        // Thought segments (DeepSeek R1 and the like) are the visible reasoning.
        channel.push(chunk.type === "segment" ? { reasoning: chunk.text } : { content: chunk.text });
      },
    })
    .then(
      (result) => {
        if (result.metadata.stopReason === "maxTokens" && !inner.signal.aborted) {
          channel.fail(new AiFailure(`The reply reached the local model's token limit (${parts.maxTokens}, AI_MAX_TOKENS) and was cut off.`, "cut-off"));
        } else channel.end();
      },
      (err: unknown) => {
        if (inner.signal.aborted) return channel.end();
        parts.logger.error({ err }, "the local model failed while generating");
        channel.fail(new AiFailure(`The local model failed while writing the reply: ${(err as Error).message}`, "stream"));
      },
    )
    .finally(() => {
      request.signal.removeEventListener("abort", onAbort);
      chat.dispose({ disposeSequence: false });
    });

  return { deltas: channel, stop: () => inner.abort(new Error("reply ended")), done };
}

/** A one-reader queue from callbacks to `for await`. */
class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private finished = false;
  private error: unknown;
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.notify();
  }

  end(): void {
    this.finished = true;
    this.notify();
  }

  fail(error: unknown): void {
    this.error = error;
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length > 0) {
        yield this.items.shift()!;
        continue;
      }
      if (this.finished) {
        if (this.error !== undefined) throw this.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
