import { AiFailure, type AiDelta, type AiProvider } from "./provider";

export const NOT_CONFIGURED_NOTICE =
  "The AI is not configured on this server. Set AI_BASE_URL to an OpenAI-compatible endpoint " +
  "(for example https://openrouter.ai/api/v1 or http://127.0.0.1:11434/v1 for Ollama), AI_API_KEY to its key " +
  "(local servers need none) and AI_MODEL to the model name, then restart JunoKit. " +
  "Or run the AI inside the server: `npm run model:pull` fetches a small local model into DATA_DIR/models " +
  "(or set AI_MODEL_PATH to a .gguf file), then restart.";

/** Stands in when no endpoint is set: the bot still joins, and every answer is this notice. */
export function createUnconfiguredProvider(): AiProvider {
  return {
    describe: () => ({ model: "not configured", available: false, notice: NOT_CONFIGURED_NOTICE }),
    async *stream(): AsyncGenerator<AiDelta> {
      throw new AiFailure(NOT_CONFIGURED_NOTICE, "not-configured");
    },
  };
}
