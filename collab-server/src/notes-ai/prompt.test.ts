import { appendMessage, builtInPersona, writeNotesJson } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { planNotePrompt } from "./prompt";

const persona = builtInPersona("qa")!;

function conversation(): Y.Doc {
  const doc = new Y.Doc();
  writeNotesJson(doc, { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Existing notes" }] }] });
  appendMessage(doc, { id: "m1", role: "user", authorId: "u1", authorName: "Ann", createdAt: 1, text: "We ship Friday" });
  appendMessage(doc, { id: "m2", role: "assistant", authorId: "ai", authorName: "QA", createdAt: 2, text: "Test plan first." });
  return doc;
}

describe("note edit prompts (NOTE-3)", () => {
  it("selection kinds: persona, rules, the task with the person's words, the notes, and the selection last", () => {
    const [system, user] = planNotePrompt(conversation(), { kind: "translate", instruction: "into French", persona, selected: "Hello team", budgetChars: 1000 });
    expect(system!.content).toContain(persona.systemPrompt);
    expect(system!.content).toContain("Reply with only the text to put into the notes");
    expect(user!.content).toBe("Translate the selected text. The person asks: into French\n\nThe notes, for context:\nExisting notes\n\nSelected text:\nHello team");
  });

  it("chat kinds: the conversation, who said what, newest kept within the budget", () => {
    const [, user] = planNotePrompt(conversation(), { kind: "action-items", instruction: "", persona, selected: "", budgetChars: 1000 });
    expect(user!.content).toMatch(/^Extract the action items/);
    expect(user!.content).toContain("The conversation:\n[Ann] We ship Friday\n[QA] Test plan first.");
    const [, short] = planNotePrompt(conversation(), { kind: "notes-from-chat", instruction: "", persona, selected: "", budgetChars: 16 });
    expect(short!.content.endsWith("[…] Test plan first.")).toBe(true);
  });

  it("caps a very long instruction", () => {
    const [, user] = planNotePrompt(conversation(), { kind: "rewrite", instruction: "x".repeat(5000), persona, selected: "s", budgetChars: 100 });
    expect(user!.content.match(/x{10,}/)![0].length).toBe(1000);
  });
});
