// The seam between the AI peer and whatever produces text: an OpenAI-compatible endpoint
// today, a local model later. The peer knows nothing about HTTP; providers know nothing
// about documents.

export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

/** One streamed piece of a completion; either part may be missing. */
export interface AiDelta {
  content?: string;
  reasoning?: string;
}

export interface CompletionRequest {
  messages: ChatTurn[];
  /** Aborting ends the stream (quietly or with an error) and cancels the upstream request. */
  signal: AbortSignal;
  temperature?: number;
  /** Asked instead of the configured model, by providers whose description says `modelPerRequest`. */
  model?: string;
}

export interface ProviderDescription {
  /** Written to each reply's `model`. */
  model: string;
  /** False when nothing is configured; `notice` then says how to configure it. */
  available: boolean;
  notice?: string;
  /** True when a request may name its own model (an endpoint); a local model runs its one file. */
  modelPerRequest?: boolean;
  /** The models a request may name (SPEC AI-19, `AI_ALLOWED_MODELS`); absent: any. */
  allowedModels?: readonly string[];
}

export interface AiProvider {
  describe(): ProviderDescription;
  /** Streams one chat completion. Failures throw `AiFailure` with a message fit for people. */
  stream(request: CompletionRequest): AsyncIterable<AiDelta>;
}

export type FailureKind = "not-configured" | "endpoint" | "rate-limited" | "unreachable" | "stream" | "cut-off";

/** A failure whose message is written to the reply's `error`, so it must be readable and secret-free. */
export class AiFailure extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly status?: number,
  ) {
    super(message);
    this.name = "AiFailure";
  }
}
