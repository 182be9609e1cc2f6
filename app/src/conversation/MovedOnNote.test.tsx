// @vitest-environment jsdom
import { builtInPersona, type Message } from "@junokit/doc-model";
import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import { groupMessages } from "./grouping";
import { MessageGroupView } from "./MessageGroup";
import { movedOnText } from "./MovedOnNote";
import { SHOW_MESSAGE_EVENT } from "./show-message";
import { formatClock } from "./time";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// jsdom has no CSS.escape; the ids here need none.
(globalThis as { CSS?: { escape(s: string): string } }).CSS ??= { escape: (s) => s };

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

const now = new Date(2026, 10, 29, 15, 0).getTime();
const at = (daysAgo: number, h: number, m: number) => new Date(2026, 10, 29 - daysAgo, h, m).getTime();

describe("a reply the conversation moved on from (SPEC APP-AI-2)", () => {
  it("APP-AI-2 says whose message from when it answers and how many came in meanwhile", () => {
    const today = at(0, 10, 32);
    expect(movedOnText({ count: 3, askedAt: today, askedBy: "Ann" }, now)).toBe(`Answers Ann's message from ${formatClock(today)} · 3 messages came in meanwhile`);
    const yesterday = at(1, 23, 5);
    expect(movedOnText({ count: 1, askedAt: yesterday, askedBy: "Ann" }, now)).toBe(`Answers Ann's message from yesterday at ${formatClock(yesterday)} · 1 message came in meanwhile`);
    expect(movedOnText({ count: 2, askedAt: at(5, 9, 0), askedBy: "" }, now)).toMatch(/^Answers a message from \w+, \w+ \d+ at .+ · 2 messages came in meanwhile$/);
  });

  it("APP-AI-2 shows the note on the reply and 'Show it' brings the answered message into view", () => {
    const host = document.createElement("div");
    document.body.append(host);
    const root = createRoot(host);
    const reply: Message = {
      id: "r1", role: "assistant", authorId: "ai", authorName: "QA", createdAt: Date.now(), text: "Yes.", status: "done",
      replyTo: "q1", movedOn: { count: 2, askedAt: Date.now() - 60_000, askedBy: "Ann" },
    };
    const plain: Message = { ...reply, id: "r2", replyTo: "q2" };
    delete plain.movedOn;
    const [group] = groupMessages([reply, plain]);
    act(() => root.render(<MessageGroupView group={group!} persona={builtInPersona("qa")!} selfId="u-ann" canStop onStop={() => {}} onRetry={() => {}} />));
    cleanup = () => {
      act(() => root.unmount());
      host.remove();
    };
    const notes = host.querySelectorAll("[data-moved-on]");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.closest("[data-message-id]")?.getAttribute("data-message-id")).toBe("r1");
    expect(notes[0]!.textContent).toContain("Answers Ann's message from");
    expect(notes[0]!.textContent).toContain("2 messages came in meanwhile");

    const asked: unknown[] = [];
    const listen = (e: Event) => asked.push((e as CustomEvent<unknown>).detail);
    window.addEventListener(SHOW_MESSAGE_EVENT, listen);
    const question = document.createElement("div");
    question.dataset.messageId = "q1";
    question.scrollIntoView = () => {};
    document.body.append(question);
    act(() => notes[0]!.querySelector("button")!.click());
    window.removeEventListener(SHOW_MESSAGE_EVENT, listen);
    expect(asked).toEqual(["q1"]);
    expect(question.classList.contains("message--found")).toBe(true);
    question.remove();
  });
});
