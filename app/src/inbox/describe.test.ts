import type { InboxItem } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import { describeItem, freshUnread } from "./describe";

const item = (id: string, read: boolean, createdAt: number, kind = "mention"): InboxItem => ({
  id, kind, workspaceId: "w", conversationId: "c", messageId: "m", from: "u", text: `t${id}`, createdAt, read,
});

describe("inbox items", () => {
  it("announces only unread items not seen before, oldest first", () => {
    expect(freshUnread([item("c", false, 3), item("b", true, 2), item("a", false, 1), item("d", false, 4)], new Set(["d"])).map((i) => i.id)).toEqual(["a", "c"]);
  });

  it("words each kind", () => {
    expect(describeItem(item("x", false, 1, "ai-reply")).title).toBe("The AI answered you");
    expect(describeItem(item("x", false, 1, "invite")).title).toBe("New workspace");
    expect(describeItem(item("x", false, 1, "something-new"))).toEqual({ title: "Notification", body: "tx" });
  });
});
