import { describe, expect, it } from "vitest";
import { aiQueueText, derivePresence, mergeAiPresence, typingText, viewersByConversation } from "./derive";

const human = (id: string, name: string, typing = false, extra: Record<string, unknown> = {}) => ({
  user: { id, name, color: "#123456", kind: "human" },
  typing,
  ...extra,
});
const ai = (typing: boolean) => ({ user: { id: "ai", name: "Dev", color: "#2563eb", kind: "ai" }, typing });

describe("presence derivation (APP-PRES-1: one face per person, typing from any of their tabs)", () => {
  it("lists each person once even with several tabs, typing if any tab types", () => {
    const states = new Map<number, unknown>([
      [1, human("u-ann", "ann")],
      [2, human("u-bob", "bob", false)],
      [3, human("u-bob", "bob", true)],
    ]);
    const { here, typing } = derivePresence(states, "u-ann");
    expect(here.map((p) => [p.name, p.typing, p.self])).toEqual([
      ["bob", true, false],
      ["ann", false, true],
    ]);
    expect(typing.map((p) => p.name)).toEqual(["bob"]);
  });

  it("never reports yourself as typing, even from another tab", () => {
    const states = new Map<number, unknown>([
      [1, human("u-ann", "ann", false)],
      [2, human("u-ann", "ann", true)],
    ]);
    expect(derivePresence(states, "u-ann").typing).toEqual([]);
  });

  it("shows the AI peer first and reports it typing while it writes", () => {
    const states = new Map<number, unknown>([
      [1, human("u-zed", "zed")],
      [2, ai(true)],
      [3, human("u-amy", "amy")],
    ]);
    const { here, typing } = derivePresence(states, "u-zed");
    expect(here.map((p) => [p.name, p.kind])).toEqual([
      ["Dev", "ai"],
      ["amy", "human"],
      ["zed", "human"],
    ]);
    expect(typing.map((p) => p.name)).toEqual(["Dev"]);
  });

  it("ignores states without a user (a peer that has not announced itself yet) and junk", () => {
    const states = new Map<number, unknown>([
      [1, {}],
      [2, null],
      [3, { user: { name: "no id" } }],
      [4, "nonsense"],
      [5, human("u-bob", "bob", true)],
    ]);
    expect(derivePresence(states, "u-ann").here.map((p) => p.id)).toEqual(["u-bob"]);
  });

  it("groups people by the conversation they have open, without yourself", () => {
    const states = new Map<number, unknown>([
      [1, human("u-ann", "ann", false, { viewing: "c1" })],
      [2, human("u-bob", "bob", false, { viewing: "c1" })],
      [3, human("u-cat", "cat", false, { viewing: "c2" })],
      [4, human("u-dan", "dan")],
    ]);
    const viewers = viewersByConversation(derivePresence(states, "u-ann").here);
    expect([...viewers.entries()].map(([c, ps]) => [c, ps.map((p) => p.name)])).toEqual([
      ["c1", ["bob"]],
      ["c2", ["cat"]],
    ]);
  });

  it("writes the typing line for one, two and many people", () => {
    expect(typingText([])).toBeNull();
    expect(typingText([{ name: "bob" }])).toBe("bob is typing…");
    expect(typingText([{ name: "bob" }, { name: "cat" }])).toBe("bob and cat are typing…");
    expect(typingText([{ name: "bob" }, { name: "cat" }, { name: "dan" }])).toBe("bob, cat and 1 other are typing…");
    expect(typingText([{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d" }])).toBe("a, b and 2 others are typing…");
  });

  it("reads the AI peer's queue and availability, and words the queue line", () => {
    const states = new Map<number, unknown>([
      [1, human("u-ann", "ann")],
      [
        2,
        {
          ...ai(true),
          ai: {
            model: "m",
            available: true,
            queue: [
              { messageId: "a", authorId: "u-bob", authorName: "bob", state: "answering" },
              { messageId: "b", authorId: "u-ann", authorName: "ann", state: "queued" },
              { messageId: "c", authorId: "u-cat", authorName: "cat", state: "queued" },
            ],
          },
        },
      ],
    ]);
    const { ai: presence } = derivePresence(states, "u-ann");
    expect(presence?.available).toBe(true);
    expect(aiQueueText(presence, "Dev")).toBe("Dev is answering bob · 2 waiting");
    expect(aiQueueText(null, "Dev")).toBeNull();
    expect(derivePresence(new Map([[1, human("u-ann", "ann")]]), "u-ann").ai).toBeNull();
  });

  it("shows the AI's model in its face's status, or that it is unavailable and why", () => {
    const withAi = (ai: Record<string, unknown>) => new Map<number, unknown>([[1, { ...aiPeer(false), ai }]]);
    const up = derivePresence(withAi({ model: "deepseek/deepseek-r1", available: true, queue: [] }), "u-ann").here[0]!;
    expect([up.status, up.unavailable]).toEqual(["AI · deepseek/deepseek-r1", undefined]);
    const down = derivePresence(withAi({ model: "not configured", available: false, notice: "Set AI_BASE_URL.", queue: [] }), "u-ann").here[0]!;
    expect([down.status, down.unavailable]).toEqual(["AI · unavailable: Set AI_BASE_URL.", true]);
  });
});

const aiPeer = (typing: boolean) => ({ user: { id: "ai", name: "Dev", color: "#2563eb", kind: "ai" }, typing });
const entry = (messageId: string, authorName: string, state: "answering" | "queued") => ({ messageId, authorId: `u-${authorName}`, authorName, state });

describe("AI presences of several server instances merge into one AI (APP-PRES-3)", () => {
  it("shows one AI face, typing if any instance writes, with the queues combined", () => {
    const states = new Map<number, unknown>([
      [1, { ...aiPeer(false), ai: { model: "m", available: true, queue: [entry("q1", "cat", "queued")] } }],
      [2, human("u-ann", "ann")],
      [3, { ...aiPeer(true), ai: { model: "m", available: true, queue: [entry("a1", "bob", "answering"), entry("q2", "dan", "queued")] } }],
    ]);
    const { here, typing, ai } = derivePresence(states, "u-ann");
    expect(here.filter((p) => p.kind === "ai").map((p) => [p.name, p.typing])).toEqual([["Dev", true]]);
    expect(typing.map((p) => p.name)).toEqual(["Dev"]);
    expect(ai?.queue.map((e) => [e.messageId, e.state])).toEqual([
      ["a1", "answering"],
      ["q1", "queued"],
      ["q2", "queued"],
    ]);
    expect(aiQueueText(ai, "Dev")).toBe("Dev is answering bob · 2 waiting");
  });

  it("is not typing when no instance writes", () => {
    const states = new Map<number, unknown>([
      [1, { ...aiPeer(false), ai: { model: "m", available: true, queue: [] } }],
      [2, { ...aiPeer(false), ai: { model: "m", available: true, queue: [] } }],
    ]);
    const { here, typing } = derivePresence(states, "u-ann");
    expect(here.map((p) => [p.id, p.typing])).toEqual([["ai", false]]);
    expect(typing).toEqual([]);
  });

  it("lists a prompt two instances both report once, as answered when either answers it", () => {
    const merged = mergeAiPresence([
      { model: "m", available: true, queue: [entry("p1", "bob", "queued"), entry("p2", "cat", "queued")] },
      { model: "m", available: true, queue: [entry("p1", "bob", "answering")] },
    ]);
    expect(merged?.queue.map((e) => [e.messageId, e.state])).toEqual([
      ["p1", "answering"],
      ["p2", "queued"],
    ]);
  });

  it("is available when any instance is (with its model), and keeps the notice only when none is", () => {
    const down = { model: "not configured", available: false, notice: "Set AI_BASE_URL.", queue: [] };
    expect(mergeAiPresence([down, { model: "qwen.gguf", available: true, queue: [] }])).toEqual({ model: "qwen.gguf", available: true, queue: [] });
    expect(mergeAiPresence([down, { ...down, notice: "other" }])).toEqual({ model: "not configured", available: false, notice: "Set AI_BASE_URL.", queue: [] });
    expect(mergeAiPresence([{ model: "a", available: true, queue: [] }, { model: "b", available: true, queue: [] }])?.model).toBe("a, b");
    expect(mergeAiPresence([])).toBeNull();
  });

  it("names everyone being answered when two instances answer at once", () => {
    const states = new Map<number, unknown>([
      [1, { ...aiPeer(true), ai: { model: "m", available: true, queue: [entry("a1", "bob", "answering")] } }],
      [2, { ...aiPeer(true), ai: { model: "m", available: true, queue: [entry("a2", "cat", "answering")] } }],
    ]);
    expect(aiQueueText(derivePresence(states, "u-ann").ai, "Dev")).toBe("Dev is answering bob and cat");
  });
});
