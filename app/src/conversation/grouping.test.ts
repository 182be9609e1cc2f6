import type { Message } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import { GROUP_GAP_MS, groupMessages, keepGroupKeys } from "./grouping";

const base = new Date(2025, 4, 6, 10, 0, 0).getTime();
let seq = 0;
function msg(authorId: string, at: number, extra: Partial<Message> = {}): Message {
  seq += 1;
  return {
    id: `m${seq}`,
    role: authorId === "ai" ? "assistant" : "user",
    authorId,
    authorName: authorId === "ai" ? "Dev" : authorId.toUpperCase(),
    createdAt: at,
    text: `text ${seq}`,
    status: "done",
    ...extra,
  };
}

const shape = (messages: Message[]) => groupMessages(messages).map((g) => [g.authorId, g.messages.length, g.newDay]);

describe("message grouping (APP-CONV-1: consecutive messages of one author form one group)", () => {
  it("groups consecutive messages by author and keeps order", () => {
    const list = [msg("ann", base), msg("ann", base + 1000), msg("bob", base + 2000), msg("ann", base + 3000), msg("ann", base + 4000)];
    expect(shape(list)).toEqual([
      ["ann", 2, true],
      ["bob", 1, false],
      ["ann", 2, false],
    ]);
    expect(groupMessages(list).flatMap((g) => g.messages.map((m) => m.id))).toEqual(list.map((m) => m.id));
  });

  it("keeps the AI's replies in their own group between people", () => {
    const list = [msg("ann", base), msg("ai", base + 10), msg("ai", base + 20), msg("ann", base + 30)];
    expect(shape(list)).toEqual([
      ["ann", 1, true],
      ["ai", 2, false],
      ["ann", 1, false],
    ]);
    expect(groupMessages(list)[1]?.role).toBe("assistant");
  });

  it("starts a new group after a long pause", () => {
    const list = [msg("ann", base), msg("ann", base + GROUP_GAP_MS), msg("ann", base + 2 * GROUP_GAP_MS + 1)];
    expect(shape(list)).toEqual([
      ["ann", 2, true],
      ["ann", 1, false],
    ]);
  });

  it("starts a new group, marked as a new day, at midnight", () => {
    const late = new Date(2025, 4, 6, 23, 59, 0).getTime();
    const early = new Date(2025, 4, 7, 0, 1, 0).getTime();
    expect(shape([msg("ann", late), msg("ann", early)])).toEqual([
      ["ann", 1, true],
      ["ann", 1, true],
    ]);
  });

  it("uses the first message's id as the group key and time", () => {
    const list = [msg("bob", base + 5), msg("bob", base + 6)];
    const [group] = groupMessages(list);
    expect(group?.key).toBe(list[0]?.id);
    expect(group?.startedAt).toBe(base + 5);
  });

  it("returns no groups for no messages", () => {
    expect(groupMessages([])).toEqual([]);
  });
});

describe("stable group keys (OFF-LARGE-4: a group keeps its element when earlier messages join it)", () => {
  it("keeps the key of a group that grows upwards, and of the groups below it", () => {
    const list = [msg("ann", base), msg("ann", base + 1), msg("ann", base + 2), msg("bob", base + 3), msg("bob", base + 4)];
    const shown = groupMessages(list.slice(2));
    const keys = keepGroupKeys(shown, new Map());
    expect(shown.map((g) => g.key)).toEqual([list[2]!.id, list[3]!.id]);
    const grown = groupMessages(list);
    keepGroupKeys(grown, keys);
    expect(grown.map((g) => g.key)).toEqual([list[2]!.id, list[3]!.id]);
    expect(grown[0]!.messages).toHaveLength(3);
  });

  it("never gives two groups the same key", () => {
    const list = [msg("ann", base), msg("bob", base + 1), msg("ann", base + 2)];
    const previous = new Map(list.map((m) => [m.id, "same"]));
    const groups = groupMessages(list);
    keepGroupKeys(groups, previous);
    expect(new Set(groups.map((g) => g.key)).size).toBe(3);
  });
});
