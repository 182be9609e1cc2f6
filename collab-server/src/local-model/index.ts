// The embedded local model (SPEC LLM-*): a GGUF file run inside the collab-server process by
// node-llama-cpp, offered to the AI peer as an `AiProvider` like the OpenAI-compatible endpoint,
// so offline and self-hosted teams get an AI with nothing but the server.
import type { Logger } from "../log";
import { DEFAULT_MAX_TOKENS, openLocalModelProvider, type LocalModelProvider } from "./local-provider";
import { findLocalModel, modelsDir } from "./model-file";
import { ModelLoadError } from "./runtime";

export { openLocalModelProvider, type LocalModelOptions, type LocalModelProvider } from "./local-provider";
export { findLocalModel, modelsDir } from "./model-file";
export { ModelLoadError } from "./runtime";

export interface LocalModelSettings {
  /** AI_MODEL_PATH; when unset, the first `.gguf` in `DATA_DIR/models`. */
  modelPath: string | undefined;
  dataDir: string;
  threads: number;
  /** AI_MAX_TOKENS. */
  maxTokens: number | undefined;
  /** The AI peer's prompt budget (AI_CONTEXT_TOKENS): each sequence holds it plus a full reply. */
  promptTokens: number;
  sequences?: number;
}

/**
 * The local model the configuration points at, ready to answer; undefined when there is no
 * model file, or when the file cannot be used. That is logged as an error naming the file and
 * the reason, and the server carries on: the AI then answers with the "not configured" notice
 * (SPEC LLM-2).
 */
export async function openConfiguredLocalModel(settings: LocalModelSettings, logger: Logger): Promise<LocalModelProvider | undefined> {
  const modelPath = settings.modelPath ?? (await findLocalModel(settings.dataDir).catch(() => undefined));
  if (!modelPath) {
    logger.info({ models: modelsDir(settings.dataDir) }, "no local model file; set AI_BASE_URL or run `npm run model:pull` to give the AI a model");
    return undefined;
  }
  try {
    const maxTokens = settings.maxTokens ?? DEFAULT_MAX_TOKENS;
    return await openLocalModelProvider({
      modelPath,
      threads: settings.threads,
      maxTokens,
      contextSize: settings.promptTokens + maxTokens,
      ...(settings.sequences ? { sequences: settings.sequences } : {}),
      logger,
    });
  } catch (err) {
    const reason = err instanceof ModelLoadError ? err.reason : (err as Error).message;
    logger.error(
      { modelPath, reason, component: "local-model" },
      `the local model ${modelPath} cannot be used: ${reason}; the AI answers with the "not configured" notice until the file is replaced`,
    );
    return undefined;
  }
}
