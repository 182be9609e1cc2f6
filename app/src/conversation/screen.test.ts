import { appendMessage, conversationDocName, messageReasoning, findMessage, writeMeta } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { conversationScreen, readScreen, SCREEN_MESSAGES } from "./screen";

const name = conversationDocName("w1", "c1");

describe("kept first screen (OFF-LARGE-3: paint the newest messages before the document loads)", () => {
  it("keeps the newest messages and the meta, without reasoning or whole books", () => {
    const doc = new Y.Doc();
    writeMeta(doc, { title: "Launch", persona: "qa" });
    for (let i = 0; i < 100; i++) appendMessage(doc, { id: `m${i}`, role: "user", authorId: "u1", authorName: "Ann", createdAt: i, text: `line ${i}` });
    appendMessage(doc, { id: "long", role: "assistant", authorId: "ai", authorName: "QA", createdAt: 200, text: "x".repeat(50_000) });
    messageReasoning(findMessage(doc, "long")!).insert(0, "thinking");
    const screen = conversationScreen(name, doc)!;
    expect(screen.count).toBe(101);
    expect(screen.meta.title).toBe("Launch");
    expect(screen.messages).toHaveLength(SCREEN_MESSAGES);
    expect(screen.messages[0]!.id).toBe(`m${101 - SCREEN_MESSAGES}`);
    expect(screen.messages.at(-1)!.text.length).toBeLessThan(10_000);
    expect(screen.messages.at(-1)!.reasoning).toBeUndefined();
    // It survives the structured clone IndexedDB makes, and reads back the same.
    expect(readScreen(structuredClone(screen))).toEqual(screen);
  });

  it("is only made for conversations, and unknown shapes are ignored", () => {
    expect(conversationScreen("ws/w1/index", new Y.Doc())).toBeNull();
    expect(readScreen(null)).toBeNull();
    expect(readScreen({ v: 2, messages: [] })).toBeNull();
    expect(readScreen({ v: 1, meta: {}, messages: [{ id: 1 }, { id: "ok", text: "t", authorId: "a", createdAt: 1 }] })?.messages).toHaveLength(1);
  });
});
