import { appendMessage, conversationDocName, messageList, readMessages } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { rescueUnsent } from "./rescue";

const name = conversationDocName("w1", "c1");
const msg = (id: string, role: "user" | "assistant" = "user") => ({ id, role, authorId: role === "user" ? "u1" : "ai", authorName: "Ann", createdAt: 1, text: id });

describe("carrying unsent messages over a reset (OFF-RESET-3: nothing written offline is lost, nothing doubled)", () => {
  it("re-appends the person's unacknowledged messages once, after the server's content", () => {
    const stale = new Y.Doc();
    appendMessage(stale, msg("old-synced"));
    const acknowledged = new Set(messageList(stale).toArray());
    appendMessage(stale, msg("offline-1"));
    appendMessage(stale, msg("offline-2"));
    const carry = rescueUnsent(name, stale, (t) => acknowledged.has(t as never))!;

    const fresh = new Y.Doc();
    appendMessage(fresh, msg("server-new"));
    expect(carry(fresh)).toBe(2);
    expect(readMessages(fresh).map((m) => m.id)).toEqual(["server-new", "offline-1", "offline-2"]);
    // A second tab carrying the same messages adds nothing.
    expect(carry(fresh)).toBe(0);
    expect(readMessages(fresh)).toHaveLength(3);
  });

  it("has nothing to carry when everything was acknowledged, or for other documents", () => {
    const doc = new Y.Doc();
    appendMessage(doc, msg("a"));
    expect(rescueUnsent(name, doc, () => true)).toBeNull();
    expect(rescueUnsent("ws/w1/index", doc, () => false)).toBeNull();
  });
});
