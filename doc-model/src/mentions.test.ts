import { describe, expect, it } from "vitest";
import { mentionedUsernames } from "./mentions";

describe("mentionedUsernames", () => {
  it("finds distinct lowercased usernames, not @ai, not e-mail addresses", () => {
    expect(mentionedUsernames("hi @Bob and @carol_1, cc @bob. Ask @ai; mail me at dan@example.com")).toEqual(["bob", "carol_1"]);
  });

  it("keeps dots inside a name but not at its end, and ignores too-short names", () => {
    expect(mentionedUsernames("thanks @j.doe. and @ab")).toEqual(["j.doe"]);
  });

  it("stops at 20 names", () => {
    const text = Array.from({ length: 50 }, (_, i) => `@user${i}`).join(" ");
    expect(mentionedUsernames(text)).toHaveLength(20);
  });
});
