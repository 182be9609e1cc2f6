// The AI peer (DESIGN.md §5, SPEC AI-*): a server-side participant of every conversation that
// answers prompts by streaming into the shared document, behind an `AiProvider` seam
// (OpenAI-compatible endpoint today, local model later).
import type { Logger } from "../log";
import { createOpenAiProvider } from "./openai-provider";
import type { AiProvider } from "./provider";
import { createUnconfiguredProvider } from "./unconfigured-provider";

export { createAiPeer, type AiPeer, type AiPeerOptions } from "./ai-peer";
export { INTERRUPTED_BEFORE_START, INTERRUPTED_ON_RESTART, INTERRUPTED_ON_SHUTDOWN, LEASE_MS, type ReplyReport } from "./conversation-peer";
export { endReasonOf, ReplyEnd, withDeadlines, type Deadlines } from "./deadlines";
export { createPromptLimits, type MakeLimiter, type PromptLimits, type PromptLimitSettings } from "./limits";
export { createOpenAiProvider, type OpenAiProviderOptions } from "./openai-provider";
export { askingAs, builtInPersonasOnly, modelAllowed, type AllowedModels, type PersonaFinder } from "./personas";
export { MIN_WRITE_GAP_MS } from "./reply-writer";
export { AiFailure, type AiDelta, type AiProvider, type ChatTurn, type CompletionRequest, type ProviderDescription } from "./provider";
export { createUnconfiguredProvider, NOT_CONFIGURED_NOTICE } from "./unconfigured-provider";

export interface AiEndpointSettings {
  baseUrl: string | undefined;
  apiKey: string | undefined;
  model: string;
  allowedModels?: readonly string[] | "any";
  maxTokens: number | undefined;
  retries: number;
  retryDelayMs: number;
}

/** The provider the configuration asks for: the endpoint when AI_BASE_URL is set, else the notice. */
export function createAiProvider(settings: AiEndpointSettings, logger: Logger): AiProvider {
  if (!settings.baseUrl) return createUnconfiguredProvider();
  return createOpenAiProvider({ ...settings, baseUrl: settings.baseUrl, logger: logger.child({ component: "ai-endpoint" }) });
}
