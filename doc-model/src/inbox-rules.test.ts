import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { appendInboxItem, inboxItems, markRead, readInbox, type InboxItem } from "./inbox";
import { observeInbox, restoreInbox } from "./inbox-rules";

const item = (id: string): InboxItem => ({
  id, kind: "mention", workspaceId: "w", conversationId: "c", messageId: "m", from: "u", text: "hi", createdAt: 1, read: false,
});

function inboxWith(...ids: string[]) {
  const doc = new Y.Doc();
  for (const id of ids) appendInboxItem(doc, item(id));
  return { doc, written: readInbox(doc) };
}

describe("inbox rules", () => {
  it("keeps the owner's read flags and changes nothing else", () => {
    const { doc, written } = inboxWith("a", "b");
    markRead(doc, ["b"]);
    expect(restoreInbox(doc, written)).toBe(false);
    expect(readInbox(doc).map((i) => i.read)).toEqual([false, true]);
  });

  it("puts back edited fields, removes added keys and forged items, restores deleted ones", () => {
    const { doc, written } = inboxWith("a", "b");
    const [a] = inboxItems(doc).toArray();
    a!.set("text", "forged");
    a!.set("extra", 1);
    a!.set("read", "yes");
    appendInboxItem(doc, item("forged"));
    inboxItems(doc).delete(1, 1);
    expect(restoreInbox(doc, written)).toBe(true);
    expect(readInbox(doc)).toEqual(written);
  });

  it("reports each change with its origin", () => {
    const { doc } = inboxWith("a");
    const origins: unknown[] = [];
    const stop = observeInbox(doc, (o) => origins.push(o));
    doc.transact(() => markRead(doc, "all"), "owner");
    stop();
    markRead(doc, "all");
    expect(origins).toEqual(["owner"]);
  });
});
