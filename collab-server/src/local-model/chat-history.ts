import type { ChatHistoryItem } from "node-llama-cpp";
import type { ChatTurn } from "../ai";

/**
 * The AI peer's prompt as node-llama-cpp's chat history, ending in the empty model turn the
 * reply is generated into. Text stays text: a person who types `<|im_start|>` gets those
 * characters, not the control token.
 */
export function toChatHistory(turns: readonly ChatTurn[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = turns.map((turn) =>
    turn.role === "system"
      ? { type: "system", text: turn.content }
      : turn.role === "user"
        ? { type: "user", text: turn.content }
        : { type: "model", response: [turn.content] },
  );
  history.push({ type: "model", response: [] });
  return history;
}

/** One string per turn, for matching a prompt against the one a sequence last evaluated. */
export function promptKey(turns: readonly ChatTurn[]): string[] {
  return turns.map((turn) => `${turn.role}\u0000${turn.content}`);
}
