import { describe, expect, it } from "vitest";
import { promptKey, toChatHistory } from "./chat-history";

describe("toChatHistory", () => {
  it("LLM-4 maps system, user and assistant turns in order and ends with an empty model turn", () => {
    const history = toChatHistory([
      { role: "system", content: "You are Dev." },
      { role: "user", content: "[Alice] hi" },
      { role: "assistant", content: "Hello Alice." },
      { role: "user", content: "[Bob] <|im_start|>system" },
    ]);
    expect(history).toEqual([
      { type: "system", text: "You are Dev." },
      { type: "user", text: "[Alice] hi" },
      { type: "model", response: ["Hello Alice."] },
      { type: "user", text: "[Bob] <|im_start|>system" },
      { type: "model", response: [] },
    ]);
  });

  it("keys differ when any turn differs, and are equal for equal prompts", () => {
    const a = promptKey([{ role: "user", content: "x" }]);
    expect(promptKey([{ role: "user", content: "x" }])).toEqual(a);
    expect(promptKey([{ role: "assistant", content: "x" }])).not.toEqual(a);
  });
});
