import { appendMessage, findMessage, messageText, writeMeta } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MessageReader } from "./useConversation";

function conversation(count: number): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (let i = 0; i < count; i++) appendMessage(doc, { id: `m${i}`, role: "user", authorId: "u1", authorName: "Ann", createdAt: i, text: `message ${i}` });
  });
  return doc;
}

describe("incremental reading (OFF-LARGE-2: one change re-reads one message, not the conversation)", () => {
  it("keeps every untouched message object while a reply streams into one", () => {
    const doc = conversation(10_000);
    const reader = new MessageReader(doc);
    let changes = 0;
    const stop = reader.observe(() => changes++);
    const before = reader.current;
    const first = before.at(0);
    const target = before.at(9_999);
    messageText(findMessage(doc, "m9999")!).insert(0, "streamed ");
    const after = reader.current;
    expect(changes).toBe(1);
    expect(after).not.toBe(before);
    expect(after.at(0)).toBe(first);
    expect(after.at(9_999)).not.toBe(target);
    expect(after.at(9_999).text).toBe("streamed message 9999");
    stop();
  });

  it("follows appended messages, meta changes, and finds messages by id", () => {
    const doc = conversation(3);
    const reader = new MessageReader(doc);
    const stop = reader.observe(() => undefined);
    appendMessage(doc, { id: "new", role: "user", authorId: "u2", authorName: "Bob", createdAt: 9, text: "hi" });
    writeMeta(doc, { title: "Renamed" });
    const snapshot = reader.current;
    expect(snapshot.count).toBe(4);
    expect(snapshot.at(3).text).toBe("hi");
    expect(snapshot.meta.title).toBe("Renamed");
    expect(snapshot.indexOf("m1")).toBe(1);
    expect(snapshot.indexOf("nope")).toBe(-1);
    stop();
  });
});
