import { appendMessage, builtInPersona, findMessage, readMessages, requestStop, setContextState, summaryText, type NewMessage } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { fitEnds, fitTokens, movedOnNote, planPrompt } from "./prompt";

const persona = builtInPersona("dev")!;
const chars4 = (s: string) => Math.ceil(s.length / 4);

function conversation(messages: (Partial<NewMessage> & { id: string; text: string })[]): Y.Doc {
  const doc = new Y.Doc();
  for (const m of messages) {
    const ai = m.role === "assistant";
    appendMessage(doc, { role: "user", authorId: ai ? "ai" : "u1", authorName: ai ? "Dev" : "Alice", createdAt: 1, status: "done", ...m });
  }
  return doc;
}

describe("prompt planning (SPEC AI-11, AI-12)", () => {
  it("puts each answer after its question even when prompts were queued, and marks who said what", () => {
    const doc = conversation([
      { id: "a", text: "first?", authorName: "Alice" },
      { id: "b", text: "second?", authorName: "Bob", authorId: "u2" },
      { id: "ra", text: "answer to first", role: "assistant", replyTo: "a" },
    ]);
    const plan = planPrompt(doc, findMessage(doc, "b")!, { persona, budgetTokens: 4000, countTokens: chars4 });
    // Bob asked before that answer existed: it came in unseen (SPEC AI-17), so his turn says so.
    const movedOn = { count: 1, askedAt: 1, askedBy: "Bob" };
    expect(plan.movedOn).toEqual(movedOn);
    expect(plan.messages.slice(1)).toEqual([
      { role: "user", content: "[Alice] first?" },
      { role: "assistant", content: "answer to first" },
      { role: "user", content: `${movedOnNote(movedOn)}\n\n[Bob] second?` },
    ]);
    expect(plan.messages[0]!.content.startsWith(persona.systemPrompt)).toBe(true);
  });

  it("drops failed replies, cancelled prompts and replaced messages, and merges consecutive turns of one role", () => {
    const doc = conversation([
      { id: "a", text: "typo question" },
      { id: "ra", text: "answer to typo", role: "assistant", replyTo: "a" },
      { id: "a2", text: "fixed question", editOf: "a" },
      { id: "e", text: "boom", role: "assistant", replyTo: "a2", status: "error" },
      { id: "c", text: "never mind" },
      { id: "q", text: "the question" },
    ]);
    doc.transact(() => requestStop(findMessage(doc, "c")!));
    const plan = planPrompt(doc, findMessage(doc, "q")!, { persona, budgetTokens: 4000, countTokens: chars4 });
    expect(plan.messages.slice(1)).toEqual([{ role: "user", content: "[Alice] fixed question\n\n[Alice] the question" }]);
    const state = (id: string) => plan.ledger.get(findMessage(doc, id)!);
    expect([state("a"), state("ra"), state("e"), state("c"), state("a2"), state("q")]).toEqual(["dropped", "dropped", "dropped", "dropped", "in-context", "in-context"]);
  });

  it("folds turns that do not fit into summary lines once, oldest first, and never starts with the AI's turn", () => {
    const long = (n: number) => `message ${n} ` + "x".repeat(400);
    const doc = conversation(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0 ? { id: `u${i}`, text: long(i) } : { id: `r${i}`, text: long(i), role: "assistant" as const, replyTo: `u${i - 1}` },
      ).concat([{ id: "q", text: "now?" }]),
    );
    const plan = planPrompt(doc, findMessage(doc, "q")!, { persona, budgetTokens: 800, countTokens: chars4 });
    expect(plan.messages[1]!.role).toBe("user");
    expect(plan.fold.length).toBeGreaterThan(0);
    expect(plan.fold[0]).toMatch(/^- \[Alice\] message 0 x+…$/);
    const folded = [...plan.ledger].filter(([, s]) => s === "summarized").length;
    expect(folded).toBe(plan.fold.length);
    // Once the lines are in the document's summary and the ledger says so, they are not folded again.
    doc.transact(() => {
      summaryText(doc).insert(0, plan.fold.join("\n"));
      for (const [map, s] of plan.ledger) setContextState(map, s);
    });
    expect(planPrompt(doc, findMessage(doc, "q")!, { persona, budgetTokens: 800, countTokens: chars4 }).fold).toEqual([]);
  });

  it("cuts text to a token budget keeping its head, its tail, or both ends", () => {
    const text = Array.from({ length: 100 }, (_, i) => `line${i}`).join("\n");
    expect(chars4(fitTokens(text, 50, chars4, "head"))).toBeLessThanOrEqual(50);
    expect(fitTokens(text, 50, chars4, "head").startsWith("line0\n")).toBe(true);
    expect(fitTokens(text, 50, chars4, "tail").endsWith("line99")).toBe(true);
    const both = fitEnds(text, 60, chars4);
    expect(both.startsWith("line0\n") && both.endsWith("line99")).toBe(true);
    expect(chars4(both)).toBeLessThanOrEqual(60);
    expect(fitTokens("short", 50, chars4, "head")).toBe("short");
  });
});

/** Ann and Bob share `seen`; Ann, offline, asks `question` while Bob writes `later`. */
function offlineConversation(annFirst: boolean, later: (Partial<NewMessage> & { id: string; text: string })[]): Y.Doc {
  const ann = new Y.Doc();
  const bob = new Y.Doc();
  // Yjs orders concurrent inserts by client id: this decides which side of Bob's the question lands.
  ann.clientID = annFirst ? 1 : 2;
  bob.clientID = annFirst ? 2 : 1;
  appendMessage(ann, { id: "seen", role: "user", authorId: "u2", authorName: "Bob", createdAt: 1_000, text: "we ship Friday" });
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(ann));
  appendMessage(ann, { id: "q", role: "user", authorId: "u1", authorName: "Ann", createdAt: Date.UTC(2026, 0, 5, 10, 32), text: "is Friday fixed?" });
  for (const m of later) {
    const ai = m.role === "assistant";
    appendMessage(bob, { role: "user", authorId: ai ? "ai" : "u2", authorName: ai ? "Dev" : "Bob", createdAt: Date.UTC(2026, 0, 5, 10, 40), status: "done", ...m });
  }
  Y.applyUpdate(ann, Y.encodeStateAsUpdate(bob));
  return ann;
}

describe("a question the conversation moved on from (SPEC AI-17, AI-18)", () => {
  for (const annFirst of [true, false]) {
    it(`AI-17 AI-18 an offline question merged ${annFirst ? "before" : "after"} the later messages: they follow it in the prompt, counted, after a note`, () => {
      const doc = offlineConversation(annFirst, [
        { id: "b1", text: "moved to Monday" },
        { id: "b2", text: "@ai what changes?" },
        { id: "rb2", text: "Monday then.", role: "assistant", replyTo: "b2" },
      ]);
      expect(readMessages(doc).map((m) => m.id).indexOf("q")).toBe(annFirst ? 1 : 4);
      const plan = planPrompt(doc, findMessage(doc, "q")!, { persona, budgetTokens: 4000, countTokens: chars4 });
      const movedOn = { count: 3, askedAt: Date.UTC(2026, 0, 5, 10, 32), askedBy: "Ann" };
      expect(plan.movedOn).toEqual(movedOn);
      expect(plan.messages.slice(1)).toEqual([
        { role: "user", content: "[Bob] we ship Friday\n\n[Bob] moved to Monday\n\n[Bob] @ai what changes?" },
        { role: "assistant", content: "Monday then." },
        { role: "user", content: `${movedOnNote(movedOn)}\n\n[Ann] is Friday fixed?` },
      ]);
      expect(movedOnNote(movedOn)).toContain(`written by "Ann" at 10:32 UTC, before the 3 messages just above it`);
      for (const id of ["seen", "b1", "b2", "rb2", "q"]) expect(plan.ledger.get(findMessage(doc, id)!)).toBe("in-context");
    });
  }

  it("AI-17 cancelled prompts and failed replies that came in later are not counted", () => {
    const doc = offlineConversation(true, [
      { id: "b1", text: "never mind" },
      { id: "rb1", text: "", role: "assistant", replyTo: "b1", status: "error", error: "boom" },
      { id: "b2", text: "forget it" },
    ]);
    doc.transact(() => requestStop(findMessage(doc, "b2")!));
    const plan = planPrompt(doc, findMessage(doc, "q")!, { persona, budgetTokens: 4000, countTokens: chars4 });
    expect(plan.movedOn).toEqual({ count: 1, askedAt: Date.UTC(2026, 0, 5, 10, 32), askedBy: "Ann" });
    expect(plan.ledger.get(findMessage(doc, "b2")!)).toBe("dropped");
  });

  it("AI-9 AI-17 a retry answers the question as it stood: no later turns, no note", () => {
    const doc = offlineConversation(true, [{ id: "b1", text: "moved to Monday" }]);
    const plan = planPrompt(doc, findMessage(doc, "q")!, { persona, budgetTokens: 4000, countTokens: chars4, retry: true });
    expect(plan.movedOn).toBeUndefined();
    expect(plan.messages.slice(1)).toEqual([{ role: "user", content: "[Bob] we ship Friday\n\n[Ann] is Friday fixed?" }]);
    expect(plan.ledger.has(findMessage(doc, "b1")!)).toBe(false);
  });

  it("AI-18 a question time that is no date (a client's clock) leaves the time out instead of failing the prompt", () => {
    const note = movedOnNote({ count: 2, askedAt: 1e20, askedBy: "Ann" });
    expect(note).toContain(`written by "Ann", before the 2 messages just above it`);
    expect(movedOnNote({ count: 1, askedAt: Number.NaN, askedBy: "" })).toContain("written by its author, before the message just above it");
  });

  it("AI-17 no note when nothing came in after the question (its own earlier answers do not count)", () => {
    const doc = conversation([
      { id: "a", text: "first?" },
      { id: "ra", text: "answer", role: "assistant", replyTo: "a" },
      { id: "q", text: "the question" },
      { id: "rq", text: "an earlier answer", role: "assistant", replyTo: "q" },
    ]);
    const plan = planPrompt(doc, findMessage(doc, "q")!, { persona, budgetTokens: 4000, countTokens: chars4 });
    expect(plan.movedOn).toBeUndefined();
    expect(plan.messages.at(-1)).toEqual({ role: "user", content: "[Alice] the question" });
    expect(plan.messages.some((m) => m.content.includes("Note from JunoKit"))).toBe(false);
  });
});
