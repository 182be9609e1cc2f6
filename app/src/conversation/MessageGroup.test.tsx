// @vitest-environment jsdom
import { builtInPersona, type Message } from "@junokit/doc-model";
import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import { groupMessages } from "./grouping";
import { MessageGroupView } from "./MessageGroup";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const qa = builtInPersona("qa")!;
let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

function render(messages: Message[], canStop = true) {
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  const stopped: string[] = [];
  const retried: string[] = [];
  const [group] = groupMessages(messages);
  act(() => root.render(<MessageGroupView group={group!} persona={qa} selfId="u-ann" canStop={canStop} onStop={(id) => stopped.push(id)} onRetry={(id) => retried.push(id)} />));
  cleanup = () => {
    act(() => root.unmount());
    host.remove();
  };
  return { host, stopped, retried };
}

const reply = (extra: Partial<Message>): Message => ({
  id: "r1",
  role: "assistant",
  authorId: "ai",
  authorName: "whatever the peer wrote",
  createdAt: Date.now(),
  text: "Checking **edge cases**",
  status: "done",
  ...extra,
});

describe("AI replies in the conversation (APP-CONV-2)", () => {
  it("shows the AI's messages under the persona's name with an AI badge", () => {
    const { host } = render([reply({})]);
    expect(host.querySelector(".group__name")?.textContent).toBe("QA");
    expect(host.querySelector(".badge--ai")?.textContent).toBe("AI");
    expect(host.querySelector(".md strong")?.textContent).toBe("edge cases");
  });

  it("offers Stop while a reply streams, and asks to stop that message", () => {
    const { host, stopped } = render([reply({ status: "streaming" })]);
    expect(host.querySelector('.message[data-status="streaming"]')).not.toBeNull();
    const stop = [...host.querySelectorAll("button")].find((b) => b.textContent === "Stop");
    act(() => stop?.click());
    expect(stopped).toEqual(["r1"]);
  });

  it("hides Stop from people who cannot write", () => {
    const { host } = render([reply({ status: "streaming" })], false);
    expect([...host.querySelectorAll("button")].map((b) => b.textContent)).not.toContain("Stop");
  });

  it("shows the error text of a failed reply and offers Retry", () => {
    const { host, retried } = render([reply({ status: "error", error: "The AI endpoint refused the key (401)." })]);
    expect(host.querySelector('[role="alert"]')?.textContent).toContain("The AI endpoint refused the key (401).");
    const retry = [...host.querySelectorAll("button")].find((b) => b.textContent === "Retry");
    act(() => retry?.click());
    expect(retried).toEqual(["r1"]);
  });

  it("shows a person's own name for people", () => {
    const { host } = render([{ ...reply({}), role: "user", authorId: "u-bob", authorName: "Bob" }]);
    expect(host.querySelector(".group__name")?.textContent).toBe("Bob");
    expect(host.querySelector(".badge--ai")).toBeNull();
  });
});
