// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { claimWanted, showMessage } from "./show-message";
import type { ConversationSnapshot } from "./useConversation";

/** A snapshot holding these message ids (only what claimWanted reads). */
const snapshot = (ids: string[], first?: number) => ({ count: ids.length, indexOf: (id: string) => ids.indexOf(id), ...(first !== undefined ? { first } : {}) }) as unknown as ConversationSnapshot;

afterEach(() => vi.useRealTimers());

describe("showMessage before the list holds the message (SRCH-8)", () => {
  it("SRCH-8: the first list that holds the message takes the request, once", () => {
    showMessage("m7");
    expect(claimWanted(snapshot(["a", "b"]))).toBe(-1); // the conversation still open
    expect(claimWanted(snapshot(["m1", "m7", "m9"]))).toBe(1); // the one that loaded
    expect(claimWanted(snapshot(["m1", "m7", "m9"]))).toBe(-1); // taken
  });

  it("SRCH-8: a kept first screen without the message leaves the request to the live list", () => {
    showMessage("m1");
    expect(claimWanted(snapshot(["m1", "m2", "m3"], 2))).toBe(0);
    expect(claimWanted(snapshot(["m1", "m2", "m3"]))).toBe(0);
  });

  it("SRCH-8: a request nobody took within 30 s is dropped", () => {
    vi.useFakeTimers();
    showMessage("late");
    vi.advanceTimersByTime(30_001);
    expect(claimWanted(snapshot(["late"]))).toBe(-1);
  });
});
