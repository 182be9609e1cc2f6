import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from "openai";
import type { Logger } from "../log";
import { AiFailure, type AiDelta, type AiProvider, type CompletionRequest } from "./provider";
import { readEvents, SseFormatError } from "./sse";

export interface OpenAiProviderOptions {
  /** Includes the version path, e.g. https://openrouter.ai/api/v1 or http://127.0.0.1:11434/v1. */
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  /** The models a request may name besides `model` (`AI_ALLOWED_MODELS`); "any" or absent: any. */
  allowedModels?: readonly string[] | "any";
  /** Sent as `max_tokens` when set. */
  maxTokens: number | undefined;
  /** Further attempts after a 408/429/5xx or a failed connection, before any response. */
  retries: number;
  /** First backoff; doubles per attempt. A `Retry-After` header wins, up to 10 s. */
  retryDelayMs: number;
  logger: Logger;
}

const MAX_RETRY_AFTER_MS = 10_000;
const DETAIL_CHARS = 300;

/**
 * Any OpenAI-compatible chat endpoint (OpenRouter, OpenAI, Ollama, vLLM, llama.cpp) through
 * the `openai` client. The client builds and sends the request; this class retries before
 * the first byte, then reads the event stream itself so truncated or garbled streams fail
 * loudly (SPEC AI-5).
 */
export function createOpenAiProvider(options: OpenAiProviderOptions): AiProvider {
  const { logger, model, allowedModels } = options;
  // Every option is explicit so the client reads nothing from the environment.
  const client = new OpenAI({
    baseURL: options.baseUrl,
    // Local servers need no key; the client insists on one, which they ignore.
    apiKey: options.apiKey ?? "no-key",
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: 24 * 3600_000, // the AI peer enforces its own deadlines
    logLevel: "off",
  });
  const secret = options.apiKey;
  const scrub = (text: string) => (secret ? text.split(secret).join("[redacted]") : text);

  async function connect(request: CompletionRequest): Promise<Response> {
    const body = {
      model: request.model ?? model,
      messages: request.messages,
      stream: true as const,
      ...(options.maxTokens ? { max_tokens: options.maxTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.chat.completions.create(body, { signal: request.signal }).asResponse();
      } catch (err) {
        if (request.signal.aborted || err instanceof APIUserAbortError) throw err;
        const retryable = isRetryable(err);
        if (!retryable || attempt > options.retries) throw requestFailure(err, attempt, scrub);
        const wait = retryDelay(err, attempt, options.retryDelayMs);
        logger.warn({ attempt, status: (err as APIError).status ?? null, retryInMs: wait }, "AI endpoint request failed; retrying");
        await sleep(wait, request.signal);
      }
    }
  }

  return {
    describe: () => ({ model, available: true, modelPerRequest: true, ...(Array.isArray(allowedModels) ? { allowedModels } : {}) }),

    async *stream(request: CompletionRequest): AsyncGenerator<AiDelta> {
      const response = await connect(request);
      const type = response.headers.get("content-type") ?? "";
      if (type && !type.toLowerCase().includes("text/event-stream")) {
        await response.body?.cancel().catch(() => undefined);
        throw new AiFailure(
          `The AI endpoint answered with ${type.split(";")[0]} instead of an event stream; check AI_BASE_URL (it usually ends in /v1).`,
          "stream",
        );
      }
      if (!response.body) throw new AiFailure("The AI endpoint answered with an empty body.", "stream");

      let completed = false;
      let finish: string | null = null;
      try {
        for await (const event of readEvents(response.body)) {
          if (event.data.trim() === "[DONE]") {
            completed = true;
            break;
          }
          const chunk = parseChunk(event.data);
          const error = event.event === "error" ? (chunk.error ?? chunk) : chunk.error;
          if (error) throw new AiFailure(`The AI endpoint reported an error mid-reply: ${scrub(errorText(error))}`, "endpoint");
          const choice = chunk.choices?.[0];
          const delta = choice?.delta ?? {};
          const reasoning = typeof delta.reasoning_content === "string" ? delta.reasoning_content : typeof delta.reasoning === "string" ? delta.reasoning : "";
          const content = typeof delta.content === "string" ? delta.content : "";
          if (content) yield reasoning ? { content, reasoning } : { content };
          else if (reasoning) yield { reasoning };
          if (choice?.finish_reason) finish = choice.finish_reason;
        }
      } catch (err) {
        if (err instanceof AiFailure || request.signal.aborted) throw err;
        if (err instanceof SseFormatError) throw new AiFailure("The AI endpoint sent something that is not an event stream.", "stream");
        throw new AiFailure("The connection to the AI endpoint was lost in the middle of the reply.", "unreachable");
      }
      if (request.signal.aborted) return;
      if (!completed) throw new AiFailure("The reply stream ended before it was complete (the endpoint never sent [DONE]).", "stream");
      if (finish === "length") throw new AiFailure("The reply reached the endpoint's token limit (max_tokens) and was cut off.", "cut-off");
      if (finish === "content_filter") throw new AiFailure("The AI endpoint's content filter stopped the reply.", "cut-off");
    },
  };
}

interface Chunk {
  error?: unknown;
  choices?: { delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown }; finish_reason?: string | null }[];
}

function parseChunk(data: string): Chunk {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new AiFailure("The AI endpoint sent a malformed stream event (not JSON).", "stream");
  }
  if (!value || typeof value !== "object") throw new AiFailure("The AI endpoint sent a malformed stream event.", "stream");
  return value as Chunk;
}

function errorText(error: unknown): string {
  const message = error && typeof error === "object" && "message" in error ? (error as { message: unknown }).message : error;
  const text = typeof message === "string" ? message : JSON.stringify(message);
  return text.length > DETAIL_CHARS ? `${text.slice(0, DETAIL_CHARS)}…` : text;
}

function isRetryable(err: unknown): boolean {
  if (err instanceof APIConnectionError) return true;
  if (!(err instanceof APIError) || err.status === undefined) return false;
  return err.status === 408 || err.status === 429 || err.status >= 500;
}

function retryDelay(err: unknown, attempt: number, base: number): number {
  const header = err instanceof APIError ? err.headers?.get("retry-after") : null;
  const seconds = header ? Number(header) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  return base * 2 ** (attempt - 1);
}

function requestFailure(err: unknown, attempts: number, scrub: (s: string) => string): AiFailure {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  if (err instanceof APIConnectionError) {
    const code = causeCode(err);
    return new AiFailure(`Could not reach the AI endpoint${code ? ` (${code})` : ""}${tries}; check AI_BASE_URL.`, "unreachable");
  }
  if (err instanceof APIError && err.status !== undefined) {
    const status = err.status;
    const detail = err.error ? `: ${scrub(errorText(err.error))}` : "";
    if (status === 429) return new AiFailure(`The AI endpoint is rate-limiting requests (HTTP 429)${tries}${detail}. Try again in a moment.`, "rate-limited", status);
    if (status === 401 || status === 403) return new AiFailure(`The AI endpoint refused the API key (HTTP ${status})${detail}; check AI_API_KEY.`, "endpoint", status);
    if (status === 404) return new AiFailure(`The AI endpoint does not know this path or model (HTTP 404)${detail}; check AI_BASE_URL and AI_MODEL.`, "endpoint", status);
    return new AiFailure(`The AI endpoint failed with HTTP ${status}${tries}${detail}.`, "endpoint", status);
  }
  return new AiFailure("The request to the AI endpoint failed.", "unreachable");
}

function causeCode(err: Error): string | undefined {
  let cause: unknown = err.cause;
  for (let depth = 0; cause && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
