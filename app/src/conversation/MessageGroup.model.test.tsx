// @vitest-environment jsdom
import { builtInPersona, type Message } from "@junokit/doc-model";
import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import { groupMessages } from "./grouping";
import { MessageGroupView } from "./MessageGroup";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

function render(messages: Message[]) {
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  const [group] = groupMessages(messages);
  act(() => root.render(<MessageGroupView group={group!} persona={builtInPersona("dev")!} selfId="u-ann" canStop onStop={() => undefined} onRetry={() => undefined} />));
  cleanup = () => {
    act(() => root.unmount());
    host.remove();
  };
  return host;
}

const at = Date.now();
const message = (extra: Partial<Message>): Message => ({
  id: "r1",
  role: "assistant",
  authorId: "ai",
  authorName: "Dev",
  createdAt: at,
  text: "Sure.",
  status: "done",
  ...extra,
});

describe("which model answers (APP-AI-1)", () => {
  it("names the model under the AI's name", () => {
    const host = render([message({ model: "deepseek/deepseek-r1" })]);
    expect(host.querySelector(".group__name")?.textContent).toBe("Dev");
    expect(host.querySelector(".group__model")?.textContent).toBe("deepseek/deepseek-r1");
    expect(host.querySelector(".message__model")).toBeNull();
  });

  it("marks a reply in the same group that another model wrote", () => {
    const host = render([message({ id: "r1", model: "model-a" }), message({ id: "r2", model: "model-b", createdAt: at + 1000 })]);
    expect(host.querySelector(".group__model")?.textContent).toBe("model-a");
    expect([...host.querySelectorAll(".message__model")].map((e) => e.textContent)).toEqual(["model-b"]);
    expect(host.querySelector('[data-message-id="r2"] .message__model')).not.toBeNull();
  });

  it("names no model for people, nor for a reply without one", () => {
    expect(render([message({ role: "user", authorId: "u-bob", authorName: "Bob", model: "x" })]).querySelector(".group__model")).toBeNull();
    cleanup?.();
    expect(render([message({})]).querySelector(".group__model")).toBeNull();
  });
});
