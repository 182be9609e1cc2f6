import { describe, expect, it } from "vitest";
import { createMiniSearchIndex } from "./search-index";
import type { ConversationText } from "./search-text";

function conversation(id: string, messages: string[], extra: Partial<ConversationText> = {}): ConversationText {
  return {
    workspaceId: "w1", conversationId: id, docName: `ws/w1/conv/${id}`, title: `Conversation ${id}`, updatedAt: 1,
    messages: messages.map((text, i) => ({ id: `${id}-m${i}`, authorName: "Ann", createdAt: i, text })),
    notes: "", ...extra,
  };
}

describe("MiniSearch index", () => {
  it("ranks a focused message above a long one that mentions the word once", async () => {
    const index = createMiniSearchIndex();
    await index.put(conversation("c1", [
      `${"unrelated words about lunch and weather ".repeat(30)} kubernetes`,
      "kubernetes upgrade: kubernetes nodes drained",
    ]));
    const hits = await index.search("w1", "kubernetes", 10);
    expect(hits.map((h) => h.messageId)).toEqual(["c1-m1", "c1-m0"]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it("finds by prefix and with a typo, requires every word, falls back to any word", async () => {
    const index = createMiniSearchIndex();
    await index.put(conversation("c1", ["the database migration finished", "database backup is broken"]));
    expect((await index.search("w1", "migr", 10)).map((h) => h.messageId)).toEqual(["c1-m0"]);
    expect((await index.search("w1", "databse", 10)).length).toBe(2);
    expect((await index.search("w1", "database backup", 10)).map((h) => h.messageId)).toEqual(["c1-m1"]);
    expect((await index.search("w1", "backup zebra", 10)).map((h) => h.messageId)).toEqual(["c1-m1"]);
  });

  it("replaces a conversation's entries when it is put again and forgets removed ones", async () => {
    const index = createMiniSearchIndex();
    await index.put(conversation("c1", ["apples", "pears"]));
    await index.put(conversation("c1", ["apples", "plums"], { updatedAt: 5, notes: "pears in the notes" }));
    expect((await index.search("w1", "pears", 10)).map((h) => h.kind)).toEqual(["notes"]);
    expect((await index.search("w1", "plums", 10)).map((h) => h.messageId)).toEqual(["c1-m1"]);
    expect(await index.versions("w1")).toEqual(new Map([["c1", 5]]));
    await index.remove("w1", "c1");
    expect(await index.search("w1", "apples", 10)).toEqual([]);
  });

  it("keeps workspaces apart", async () => {
    const index = createMiniSearchIndex();
    await index.put(conversation("c1", ["secret pineapple"]));
    await index.put({ ...conversation("c2", ["public banana"]), workspaceId: "w2" });
    expect(await index.search("w2", "pineapple", 10)).toEqual([]);
    expect((await index.search("w1", "pineapple", 10)).length).toBe(1);
  });
});
