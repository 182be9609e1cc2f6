import { describe, expect, it } from "vitest";
import { conversationDocName, inboxDocName, parseDocName, workspaceIndexDocName } from "./names";

describe("document names (DESIGN.md §4)", () => {
  it("round-trips every kind of name", () => {
    expect(parseDocName(conversationDocName("w1", "c_2-x"))).toEqual({ kind: "conversation", workspaceId: "w1", conversationId: "c_2-x" });
    expect(parseDocName(workspaceIndexDocName("w1"))).toEqual({ kind: "workspace-index", workspaceId: "w1" });
    expect(parseDocName(inboxDocName("u9"))).toEqual({ kind: "inbox", userId: "u9" });
  });

  it.each([
    "", "ws", "ws/w1", "ws/../conv/c1", "ws/w1/conv/..", "ws/w1/conv/c\u0000", "ws/w1/conv/c1/extra",
    "ws/w1/other/c1", "user/u1/outbox", `ws/${"a".repeat(65)}/index`, "ws//index", "ws/w 1/index", "ws/w1/conv/c%2F",
  ])("refuses %j", (name) => {
    expect(parseDocName(name)).toBeNull();
  });

  it("refuses to build a name from a bad id", () => {
    expect(() => conversationDocName("w1", "../x")).toThrow(/invalid id/);
  });
});
