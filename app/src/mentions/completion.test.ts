import { mentionsAi } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import { completeMention, matchMentionables, mentionAt, mentionablesOf, type Mentionable } from "./completion";

const members = [
  { userId: "u-ann", username: "ann", displayName: "Ann Lee" },
  { userId: "u-bob", username: "bob.s", displayName: "Bob Stone" },
  { userId: "u-bea", username: "bea", displayName: "" },
  { userId: "u-zed", username: "zed", displayName: "Zed Bolt" },
];
const everyone = mentionablesOf(members, "u-ann", "Dev");
const handles = (list: readonly Mentionable[]) => list.map((m) => m.handle);

describe("@ completion: the token at the caret (APP-MENTION-1)", () => {
  it("finds the name typed after @ up to the caret, and the rest of the word after it", () => {
    expect(mentionAt("hi @bo", 6)).toEqual({ start: 3, end: 6, query: "bo" });
    expect(mentionAt("@", 1)).toEqual({ start: 0, end: 1, query: "" });
    expect(mentionAt("hi @BOb.s there", 6)).toEqual({ start: 3, end: 9, query: "bo" });
    expect(mentionAt("(@ai)", 4)).toEqual({ start: 1, end: 4, query: "ai" });
    expect(mentionAt("line\n@z", 7)).toEqual({ start: 5, end: 7, query: "z" });
  });

  it("is no mention inside a word, an address, after @ or a dot, or past a space", () => {
    expect(mentionAt("mail bob@example.com", 14)).toBeNull();
    expect(mentionAt("@@bob", 5)).toBeNull();
    expect(mentionAt("x.@bob", 6)).toBeNull();
    expect(mentionAt("@bob hello", 10)).toBeNull();
    expect(mentionAt("@bob ", 5)).toBeNull();
    expect(mentionAt("no at sign", 5)).toBeNull();
    expect(mentionAt(`@${"a".repeat(33)}`, 34)).toBeNull();
  });
});

describe("@ completion: who matches (APP-MENTION-1)", () => {
  it("offers the AI and every member but yourself for a bare @", () => {
    expect(handles(matchMentionables(everyone, ""))).toEqual(["ai", "bea", "bob.s", "zed"]);
    expect(everyone.find((m) => m.kind === "ai")?.label).toBe("Dev, the AI");
    expect(everyone.find((m) => m.handle === "bea")?.label).toBe("bea");
  });

  it("puts usernames that start with the query before names with a word that does", () => {
    expect(handles(matchMentionables(everyone, "b"))).toEqual(["bea", "bob.s", "zed"]);
    expect(handles(matchMentionables(everyone, "BO"))).toEqual(["bob.s", "zed"]);
    expect(handles(matchMentionables(everyone, "a"))).toEqual(["ai"]);
    expect(handles(matchMentionables(everyone, "stone"))).toEqual(["bob.s"]);
    expect(handles(matchMentionables(everyone, "q"))).toEqual([]);
  });

  it("keeps the list short", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ handle: `user${String(i).padStart(2, "0")}`, label: "", kind: "human" as const }));
    expect(handles(matchMentionables(many, "user", 3))).toEqual(["user00", "user01", "user02"]);
  });
});

describe("@ completion: the draft after a pick (APP-MENTION-1)", () => {
  it("replaces the token with @username and a space, caret after it", () => {
    const text = "hey @bo what do you think";
    const done = completeMention(text, mentionAt(text, 7)!, "bob.s");
    expect(done).toEqual({ text: "hey @bob.s what do you think", caret: 11 });
  });

  it("adds a space at the end, and replaces the whole word when the caret is inside it", () => {
    expect(completeMention("@a", mentionAt("@a", 2)!, "ai")).toEqual({ text: "@ai ", caret: 4 });
    const text = "ask @zxy now";
    expect(completeMention(text, mentionAt(text, 6)!, "zed")).toEqual({ text: "ask @zed now", caret: 9 });
  });

  it("writes @ai so that the AI's mention mode recognises it (AI-16)", () => {
    const done = completeMention("please @", mentionAt("please @", 8)!, "ai");
    expect(mentionsAi(done.text)).toBe(true);
  });
});
