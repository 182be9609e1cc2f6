import { describe, expect, it } from "vitest";
import { isUnread } from "./unread";

describe("unread dots (APP-WS-1: a conversation is unread when it moved on since last seen)", () => {
  it("is read while it is open, whatever happened", () => {
    expect(isUnread(200, 5, 100, true)).toBe(false);
  });
  it("is unread when activity is newer than what was seen", () => {
    expect(isUnread(200, 5, 100, false)).toBe(true);
    expect(isUnread(100, 5, 100, false)).toBe(false);
  });
  it("is unread when never seen and it has messages, read when it is empty", () => {
    expect(isUnread(100, 1, undefined, false)).toBe(true);
    expect(isUnread(100, 0, undefined, false)).toBe(false);
  });
});
