import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { appendMessage, messageId, messageList, setStatus } from "./conversation";
import { observeMessageEvents } from "./message-events";

describe("observeMessageEvents", () => {
  it("reports added messages with their batch and status changes with the origin", () => {
    const doc = new Y.Doc();
    const added: [string, unknown, number][] = [];
    const statuses: [string, string, unknown][] = [];
    observeMessageEvents(doc, {
      onAdded: (m, origin, batch) => added.push([messageId(m), origin, batch.length]),
      onStatus: (m, status, origin) => statuses.push([messageId(m), status, origin]),
    });
    doc.transact(() => appendMessage(doc, { id: "u1", role: "user", authorId: "a", authorName: "A", createdAt: 1 }), "person");
    doc.transact(() => void appendMessage(doc, { id: "r1", role: "assistant", authorId: "ai", authorName: "AI", createdAt: 2, status: "streaming", replyTo: "u1" }), "server");
    doc.transact(() => setStatus(messageList(doc).get(1), "done"), "server");
    doc.transact(() => {
      appendMessage(doc, { id: "x1", role: "user", authorId: "a", authorName: "A", createdAt: 3 });
      appendMessage(doc, { id: "x2", role: "user", authorId: "a", authorName: "A", createdAt: 4 });
    }, "import");
    expect(added).toEqual([["u1", "person", 1], ["r1", "server", 1], ["x1", "import", 2], ["x2", "import", 2]]);
    expect(statuses).toEqual([["r1", "done", "server"]]);
  });
});
